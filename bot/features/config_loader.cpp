// load_repo_config and check_template_file (features/repo_config.hpp): the chain of
// .github/mentorbot.yml files, the template files beside them, and the org's tone sets.
#include <algorithm>
#include <cctype>
#include <string_view>
#include <set>

#include <kainjow/mustache.hpp>

#include "core/nearest.hpp"
#include "features/repo_config.hpp"
#include "features/samples.hpp"
#include "features/words_lint.hpp"
#include "render/templates.hpp"

namespace mentorbot::features {
namespace {

std::string owner_of(const std::string& repo) { return repo.substr(0, repo.find('/')); }

const std::vector<std::string>& template_names() {
  static const std::vector<std::string> names(std::begin(render::template_names), std::end(render::template_names));
  return names;
}

const std::vector<std::string>& builtin_tones() {
  static const std::vector<std::string> tones(std::begin(render::tones), std::end(render::tones));
  return tones;
}

bool builtin(const std::string& tone) {
  return std::find(builtin_tones().begin(), builtin_tones().end(), tone) != builtin_tones().end();
}

// kainjow words its errors "… at OFFSET": that becomes a line and a column.
FileProblem mustache_problem(const std::string& repo, const std::string& path, const std::string& text,
                             const std::string& error) {
  FileProblem p{repo, path, 1, 1, "not a valid Mustache template: " + error};
  // No std::regex: the message holds the tag a person wrote, of any length.
  auto at = error.rfind(" at ");
  if (at == std::string::npos || at + 4 >= error.size() || error.size() - at - 4 > 9 ||
      !std::all_of(error.begin() + static_cast<std::ptrdiff_t>(at + 4), error.end(),
                   [](unsigned char c) { return std::isdigit(c); })) {
    return p;
  }
  auto offset = std::min<std::size_t>(std::stoul(error.substr(at + 4)), text.size());
  auto before = std::string_view(text).substr(0, offset);
  p.line = 1 + static_cast<int>(std::count(before.begin(), before.end(), '\n'));
  auto nl = before.rfind('\n');
  p.column = 1 + static_cast<int>(nl == std::string::npos ? offset : offset - nl - 1);
  p.message = "not a valid Mustache template: " + error.substr(0, at);
  return p;
}

// The lint's doubts about words, at `line` + the doubt's line - 1 (line: where the words start).
void add_doubts(std::vector<FileProblem>& out, const std::string& repo, const std::string& path, int line,
                const std::string& name, const std::string& source, const std::string& what) {
  std::string rendered;
  try {
    rendered = render::render_source(source, sample_for(name), what.empty() ? path : what);
  } catch (const render::TemplateError& e) {
    out.push_back({repo, path, line, 0, e.what()});
    return;
  }
  for (const auto& w : lint_words(name, source, rendered)) {
    out.push_back({repo, path, w.line ? line + w.line - 1 : line, 0, what.empty() ? w.message : what + ": " + w.message, true});
  }
}

struct Level {
  std::string repo, path;
  std::string text;
  ParsedConfig parsed;  // over the defaults: its own problems, lines and inline templates
};

struct Template {
  std::string source;
  std::string from;  // "repo:path"
};

class Loader {
 public:
  Loader(const std::string& repo, const RepoFiles& files, const RepoConfig& defaults, LoadedConfig& out)
      : repo_(repo), org_(owner_of(repo) + "/.github"), files_(files), defaults_(defaults), out_(out) {}

  void run() {
    auto levels = chain();
    if (broken_) {
      // Every problem at once: the template files are checked even when the config is broken.
      std::map<std::string, Template> unused;
      if (files_.list) template_files(repo_, unused);
      if (files_.list && org_ != repo_) template_files(org_, unused);
      return finish();
    }
    RepoConfig cfg = defaults_;
    for (auto level = levels.rbegin(); level != levels.rend(); ++level) {
      cfg = parse_repo_config(level->text, cfg).config;
    }
    // The words, from the furthest layer to the nearest: the org's files, then each file of the
    // chain with its inline templates and then its own template files.
    std::map<std::string, Template> words;
    bool org_in_chain = std::any_of(levels.begin(), levels.end(), [&](const Level& l) { return l.repo == org_; });
    if (files_.list && !org_in_chain && org_ != repo_) template_files(org_, words);
    for (auto level = levels.rbegin(); level != levels.rend(); ++level) {
      for (auto& p : check_inline_templates(level->repo, level->path, level->parsed)) problem(std::move(p));
      for (const auto& [name, line] : level->parsed.template_lines) {
        words[name] = {level->parsed.config.templates.at(name), level->repo + ":" + level->path};
      }
      if (files_.list) {
        std::map<std::string, Template> own;
        template_files(level->repo, own);
        for (auto& [name, t] : own) {
          if (level->parsed.template_lines.count(name)) {
            out_.problems.push_back({level->repo, t.from.substr(t.from.find(':') + 1), 0, 0,
                                     name + " is also set inline in " + level->path + " (line " +
                                         std::to_string(level->parsed.template_lines.at(name)) + "); this file wins",
                                     true});
          }
          words[name] = std::move(t);
        }
      }
    }
    // A repository without a config file of its own still has its own template files, nearest.
    bool own_in_chain = std::any_of(levels.begin(), levels.end(), [&](const Level& l) { return l.repo == repo_; });
    if (files_.list && !own_in_chain) {
      std::map<std::string, Template> own;
      template_files(repo_, own);
      for (auto& [name, t] : own) words[name] = std::move(t);
    }
    if (!builtin(cfg.tone)) org_tone(levels, cfg.tone, words);
    if (broken_) return finish();
    cfg.templates.clear();
    for (auto& [name, t] : words) {
      cfg.templates[name] = std::move(t.source);
      out_.template_from[name] = std::move(t.from);
    }
    out_.config = std::move(cfg);
    finish();
  }

 private:
  void problem(FileProblem p) {
    if (!p.warning) broken_ = true;
    out_.problems.push_back(std::move(p));
  }

  // The .github/mentorbot.yml files, nearest first.
  std::vector<Level> chain() {
    std::vector<Level> levels;
    std::string from = repo_;
    out_.sources.push_back(repo_);
    auto text = files_.read(repo_, repo_config_path);
    if (!text && org_ != repo_) {
      from = org_;
      out_.sources.push_back(org_);
      text = files_.read(org_, repo_config_path);
    }
    if (files_.list && std::find(out_.sources.begin(), out_.sources.end(), org_) == out_.sources.end()) {
      out_.sources.push_back(org_);  // its template files and tones
    }
    if (!text) return levels;
    std::string path = repo_config_path;
    std::vector<std::string> seen{from + ":" + path};
    while (true) {
      out_.checked.insert(from + ":" + path);
      Level level{from, path, *text, parse_repo_config(*text, defaults_)};
      for (const auto& p : level.parsed.problems) problem({from, path, p.line, p.column, p.message});
      if (broken_) return {};
      auto extends = level.parsed.config.extends;
      int extends_line = level.parsed.extends_line;
      levels.push_back(std::move(level));
      if (!extends) return levels;
      // "_extends: other", "owner/other" or "owner/other:path/to/file.yml".
      std::string target = *extends, target_path = repo_config_path;
      if (auto colon = target.find(':'); colon != std::string::npos) {
        target_path = target.substr(colon + 1);
        target = target.substr(0, colon);
      }
      if (target.find('/') == std::string::npos) target = owner_of(from) + "/" + target;
      std::string target_where = target + ":" + target_path;
      if (levels.size() > 3 || std::find(seen.begin(), seen.end(), target_where) != seen.end()) {
        problem({from, path, extends_line, 0,
                 "_extends " + target_where + " goes " + (levels.size() > 3 ? "more than three deep" : "round in a circle")});
        return {};
      }
      seen.push_back(target_where);
      if (std::find(out_.sources.begin(), out_.sources.end(), target) == out_.sources.end()) out_.sources.push_back(target);
      text = files_.read(target, target_path);
      if (!text) {
        problem({from, path, extends_line, 0, "_extends names " + target_where + ", which does not exist"});
        return {};
      }
      from = target;
      path = target_path;
    }
  }

  // `repo`'s .github/mentorbot/NAME.md files into `into`, each checked.
  void template_files(const std::string& repo, std::map<std::string, Template>& into) {
    auto entries = files_.list(repo, words_dir);
    if (!entries) return;
    for (const auto& e : *entries) {
      std::string path = std::string(words_dir) + "/" + e.name;
      if (e.dir) {
        if (e.name == "tones" && repo == org_) continue;
        if (e.name == "tones") {
          problem({repo, path, 0, 0, "tones are read only from the org's .github repository (" + org_ + ")", true});
        } else {
          problem({repo, path, 0, 0, "unknown folder `" + e.name + "` (mentorbot reads NAME.md templates here, and tones/ in " + org_ + ")"});
        }
        continue;
      }
      if (not_a_template(e.name)) continue;
      read_template(repo, path, e.name, into);
    }
  }

  void read_template(const std::string& repo, const std::string& path, const std::string& file,
                     std::map<std::string, Template>& into) {
    auto text = files_.read(repo, path);
    if (!text) return;
    out_.checked.insert(repo + ":" + path);
    auto found = check_template_file(repo, path, *text);
    for (auto& p : found) problem(std::move(p));
    auto name = file.substr(0, file.size() - 3);
    if (file.ends_with(".md") && std::find(template_names().begin(), template_names().end(), name) != template_names().end()) {
      if (std::none_of(found.begin(), found.end(), [](const FileProblem& p) { return !p.warning; })) {
        into[name] = {*text, repo + ":" + path};
      }
    }
  }

  // A tone that is not built in: the org's tone set, under the templates the chain set.
  void org_tone(const std::vector<Level>& levels, const std::string& tone, std::map<std::string, Template>& words) {
    std::vector<std::string> known = builtin_tones();
    std::optional<std::vector<DirEntry>> tones;
    if (files_.list) tones = files_.list(org_, std::string(words_dir) + "/tones");
    if (tones) {
      for (const auto& e : *tones) {
        if (e.dir) known.push_back(e.name);
      }
    }
    if (std::find(known.begin(), known.end(), tone) == known.end()) {
      // The nearest file that names the tone says where.
      auto at = std::find_if(levels.begin(), levels.end(), [](const Level& l) { return l.parsed.tone_line > 0; });
      std::string list;
      for (const auto& k : known) list += (list.empty() ? "" : ", ") + k;
      auto near = nearest(tone, known);
      problem({at == levels.end() ? repo_ : at->repo, at == levels.end() ? repo_config_path : at->path,
               at == levels.end() ? 0 : at->parsed.tone_line, 0,
               "unknown tone `" + tone + "`" +
                   (near ? ": did you mean `" + *near + "`?"
                         : ": there is no " + std::string(words_dir) + "/tones/" + tone + "/ in " + org_ + " (known: " + list + ")")});
      return;
    }
    std::string dir = std::string(words_dir) + "/tones/" + tone;
    auto entries = files_.list(org_, dir);
    std::map<std::string, Template> set;
    for (const auto& e : entries.value_or(std::vector<DirEntry>{})) {
      if (e.dir) {
        problem({org_, dir + "/" + e.name, 0, 0, "a tone holds NAME.md templates, not folders"});
        continue;
      }
      if (not_a_template(e.name)) continue;
      read_template(org_, dir + "/" + e.name, e.name, set);
    }
    for (auto& [name, t] : set) words.emplace(name, std::move(t));  // the chain's own words win
  }

  void finish() {
    if (!broken_) return;
    out_.config = defaults_;
    out_.template_from.clear();
    std::size_t blocking = 0;
    const FileProblem* first = nullptr;
    for (const auto& p : out_.problems) {
      if (p.warning) continue;
      if (!first) first = &p;
      ++blocking;
    }
    std::string where = first->repo + ":" + first->path;
    if (first->line > 0) where += ":" + std::to_string(first->line);
    if (first->line > 0 && first->column > 0) where += ":" + std::to_string(first->column);
    out_.warnings.push_back(where + ": " + first->message +
                            (blocking > 1 ? " (and " + std::to_string(blocking - 1) +
                                                " more problem(s); see mentorbot check-config)"
                                          : ""));
  }

  const std::string& repo_;
  std::string org_;
  const RepoFiles& files_;
  const RepoConfig& defaults_;
  LoadedConfig& out_;
  bool broken_ = false;
};

}  // namespace

std::vector<FileProblem> check_template_file(const std::string& repo, const std::string& path, const std::string& text) {
  std::vector<FileProblem> out;
  auto file = path.substr(path.rfind('/') + 1);
  auto name = file.ends_with(".md") ? file.substr(0, file.size() - 3) : file;
  if (!file.ends_with(".md") || std::find(template_names().begin(), template_names().end(), name) == template_names().end()) {
    auto near = nearest(name, template_names());
    out.push_back({repo, path, 0, 0,
                   "no template is called `" + file + "`" +
                       (near ? ": did you mean `" + *near + ".md`?" : " (templates are NAME.md, NAME one of mentorbot render's names)")});
    return out;
  }
  if (auto too_big = template_too_big(text)) {
    out.push_back({repo, path, 0, 0, *too_big});
    return out;
  }
  kainjow::mustache::mustache check(text);
  if (!check.is_valid()) {
    out.push_back(mustache_problem(repo, path, text, check.error_message()));
    return out;
  }
  add_doubts(out, repo, path, 1, name, text, "");
  return out;
}

std::vector<FileProblem> check_inline_templates(const std::string& repo, const std::string& path,
                                                const ParsedConfig& parsed) {
  std::vector<FileProblem> out;
  for (const auto& [name, line] : parsed.template_lines) {
    add_doubts(out, repo, path, line, name, parsed.config.templates.at(name), "templates." + name);
  }
  return out;
}

LoadedConfig load_repo_config(const std::string& repo, const RepoFiles& files, const RepoConfig& defaults) {
  LoadedConfig out;
  out.config = defaults;
  Loader(repo, files, defaults, out).run();
  return out;
}

LoadedConfig load_repo_config(const std::string& repo, const FetchFile& fetch, const RepoConfig& defaults) {
  return load_repo_config(repo, RepoFiles{fetch, nullptr}, defaults);
}

}  // namespace mentorbot::features
