#include "features/review/rules.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>

#include <yaml-cpp/yaml.h>

#include "core/data_files.hpp"
#include "core/glob.hpp"
#include "core/read_file.hpp"
#include "core/yaml_check.hpp"
#include "features/review/diff.hpp"
#include "render/escape.hpp"
#include "render/templates.hpp"

namespace mentorbot::features::review {
namespace {

// libstdc++'s regex matcher recurses per character: a minified line could exhaust the stack.
// The first kilobyte of a line is what the rules look at.
constexpr std::size_t longest_line_matched = 1024;
constexpr std::size_t longest_pattern = 500;

std::optional<PrCheck> pr_check(const std::string& name) {
  if (name == "no_description") return PrCheck::no_description;
  if (name == "no_tests_touched") return PrCheck::no_tests_touched;
  if (name == "changed_lines_over") return PrCheck::changed_lines_over;
  return std::nullopt;
}

std::optional<Rule> parse_rule(const YAML::Node& n, const std::string& source, std::vector<YamlProblem>& problems) {
  YamlChecker c(problems);
  auto before = c.count();
  if (!c.is_map(n, "a rule")) return std::nullopt;
  c.only(n, "a rule", {"id", "summary", "audience", "priority", "when", "suggestion", "question"});
  Rule r;
  r.source = source + ":" + std::to_string(n.Mark().line + 1);
  auto required = [&](const char* key) -> std::optional<std::string> {
    if (!n[key]) {
      c.problem(n, std::string("a rule needs \"") + key + "\"");
      return std::nullopt;
    }
    return c.string(n[key], key);
  };
  if (auto v = required("id")) {
    r.id = *v;
    if (r.id.empty() || r.id.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-") != std::string::npos) {
      c.problem(n["id"], "id must be lower-case letters, digits and dashes, such as debug-print");
    }
  }
  if (auto v = required("summary")) r.summary = *v;
  if (auto v = required("suggestion")) r.suggestion = *v;
  if (n["question"]) {
    if (auto v = c.string(n["question"], "question")) r.question = *v;
  }
  if (n["audience"]) {
    if (auto v = c.string(n["audience"], "audience")) {
      if (*v == "newcomer") {
        r.audience = Audience::newcomer;
      } else if (*v == "everyone") {
        r.audience = Audience::everyone;
      } else {
        c.problem(n["audience"], "audience must be newcomer or everyone");
      }
    }
  }
  if (n["priority"]) {
    if (auto v = c.integer(n["priority"], "priority", 0, 100)) r.priority = *v;
  }
  for (const char* key : {"suggestion", "question"}) {
    if (!n[key] || !n[key].IsScalar()) continue;
    kainjow::mustache::mustache check(n[key].as<std::string>());
    if (!check.is_valid()) c.problem(n[key], std::string(key) + " is not a valid Mustache template: " + check.error_message());
  }

  auto when = n["when"];
  if (!when) {
    c.problem(n, "a rule needs \"when\"");
  } else if (c.is_map(when, "when")) {
    c.only(when, "when", {"added_line", "commit_message", "pr", "files", "not_files", "tests", "lines", "characters"});
    int triggers = (when["added_line"] ? 1 : 0) + (when["commit_message"] ? 1 : 0) + (when["pr"] ? 1 : 0);
    if (triggers != 1) c.problem(when, "when needs exactly one of added_line, commit_message or pr");
    auto regex = [&](const char* key) {
      auto v = c.string(when[key], std::string("when.") + key);
      if (!v) return;
      // libstdc++ compiles and matches a regex by recursion: a very long pattern could exhaust the stack.
      if (v->size() > longest_pattern) {
        c.problem(when[key], std::string("when.") + key + " must be at most " + std::to_string(longest_pattern) +
                                 " characters");
        return;
      }
      r.pattern = *v;
      try {
        r.regex = std::make_shared<const std::regex>(*v, std::regex::ECMAScript | std::regex::optimize);
      } catch (const std::regex_error& e) {
        c.problem(when[key], std::string("when.") + key + " is not a valid regular expression: " + e.what());
      }
    };
    if (when["added_line"]) {
      r.trigger = Trigger::added_line;
      regex("added_line");
    } else if (when["commit_message"]) {
      r.trigger = Trigger::commit_message;
      regex("commit_message");
    } else if (when["pr"]) {
      r.trigger = Trigger::pr;
      if (auto v = c.string(when["pr"], "when.pr")) {
        if (auto check = pr_check(*v)) {
          r.check = *check;
        } else {
          c.problem(when["pr"], "when.pr must be no_description, no_tests_touched or changed_lines_over");
        }
      }
    }
    if (when["files"]) {
      if (auto v = c.strings(when["files"], "when.files")) r.files = *v;
    }
    if (when["not_files"]) {
      if (auto v = c.strings(when["not_files"], "when.not_files")) r.not_files = *v;
    }
    if (when["tests"]) {
      if (auto v = c.strings(when["tests"], "when.tests")) r.tests = *v;
    }
    if (r.trigger == Trigger::pr && r.check == PrCheck::no_tests_touched && when["lines"]) {
      if (auto v = c.integer(when["lines"], "when.lines", 1, 1'000'000)) r.threshold = *v;
    }
    if (r.trigger == Trigger::pr && r.check == PrCheck::changed_lines_over) {
      if (!when["lines"]) {
        c.problem(when, "changed_lines_over needs \"lines\", such as lines: 400");
      } else if (auto v = c.integer(when["lines"], "when.lines", 1, 1'000'000)) {
        r.threshold = *v;
      }
    }
    if (r.trigger == Trigger::pr && r.check == PrCheck::no_description) {
      r.threshold = 1;
      if (when["characters"]) {
        if (auto v = c.integer(when["characters"], "when.characters", 1, 10'000)) r.threshold = *v;
      }
    }
    if (r.trigger == Trigger::pr && r.check == PrCheck::no_tests_touched && r.tests.empty()) {
      c.problem(when, "no_tests_touched needs \"tests\": the globs of test files");
    }
  }
  if (c.count() != before) return std::nullopt;
  return r;
}

bool any_match(const std::vector<std::string>& globs, const std::string& path) {
  return std::any_of(globs.begin(), globs.end(), [&](const std::string& g) { return glob_match(g, path); });
}

bool applies_to(const Rule& r, const std::string& path) {
  if (!r.files.empty() && !any_match(r.files, path)) return false;
  return !any_match(r.not_files, path);
}

Finding finding(const Rule& r, const std::string& path, int line, render::Data data) {
  Finding f;
  f.rule = r.id;
  f.audience = r.audience;
  f.priority = r.priority;
  f.path = path;
  f.line = line;
  if (!path.empty()) data.set("path", render::code_span(path));
  if (line > 0) data.set("line", std::to_string(line));
  f.message = render::render_source(r.suggestion, data, r.source + " suggestion");
  if (!r.question.empty()) f.question = render::render_source(r.question, data, r.source + " question");
  return f;
}

std::string_view trimmed(std::string_view text) {
  auto first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  return text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

// A file's patch, read once for every rule: the lines it adds that are really new. A line it
// removes elsewhere and adds back (moved, or re-indented under a new `if`) is not the
// contributor's writing, and nothing is said about it.
struct ReadFile {
  const github::ChangedFile* file = nullptr;
  std::vector<AddedLine> added;
};

std::vector<ReadFile> read_files(const PullRequestFacts& facts) {
  std::vector<ReadFile> out;
  for (const auto& file : facts.files) {
    if (!file.patch || file.status == "removed") continue;
    auto patch = parse_patch(*file.patch);
    std::set<std::string_view> removed;
    for (const auto& text : patch.removed_text) removed.insert(trimmed(text));
    ReadFile r{&file, {}};
    for (auto& a : patch.added) {
      auto t = trimmed(a.text);
      if (!t.empty() && removed.count(t)) continue;
      r.added.push_back(std::move(a));
    }
    out.push_back(std::move(r));
  }
  return out;
}

void added_lines(const Rule& r, const std::vector<ReadFile>& files, std::vector<Finding>& out) {
  if (!r.regex) return;
  for (const auto& file : files) {
    if (!applies_to(r, file.file->path)) continue;
    for (const auto& added : file.added) {
      std::string_view text = added.text;
      if (text.size() > longest_line_matched) text = text.substr(0, longest_line_matched);
      std::match_results<std::string_view::const_iterator> m;
      if (!std::regex_search(text.begin(), text.end(), m, *r.regex)) continue;
      // A pattern anchored at the start of the line (`^\s*console\.log\(`) takes the indentation: not shown.
      render::Data data;
      data.set("match", render::code_span(trimmed(std::string_view(m[0].first, static_cast<std::size_t>(m[0].length())))));
      out.push_back(finding(r, file.file->path, added.line, std::move(data)));
    }
  }
}

void commit_messages(const Rule& r, const PullRequestFacts& facts, std::vector<Finding>& out) {
  if (!r.regex) return;
  std::vector<std::string> shas;
  for (const auto& commit : facts.commits) {
    std::string_view text = commit.message;
    if (text.size() > longest_line_matched) text = text.substr(0, longest_line_matched);
    if (std::regex_search(text.begin(), text.end(), *r.regex)) shas.push_back(commit.sha.substr(0, 7));
  }
  if (shas.empty()) return;
  render::Data data;
  std::string list;
  for (const auto& s : shas) list += (list.empty() ? "" : ", ") + render::code_span(s);
  data.set("commits", list);
  data.set("count", std::to_string(shas.size()));
  out.push_back(finding(r, "", 0, std::move(data)));
}

void pr_level(const Rule& r, const PullRequestFacts& facts, std::vector<Finding>& out) {
  render::Data data;
  switch (r.check) {
    case PrCheck::no_description:
      if (github::description_length(facts.body) >= static_cast<std::size_t>(r.threshold)) return;
      break;
    case PrCheck::no_tests_touched: {
      long code = 0;
      bool tests = false;
      for (const auto& f : facts.files) {
        if (any_match(r.tests, f.path)) {
          tests = true;
        } else if (f.status != "removed" && applies_to(r, f.path)) {
          code += f.additions + f.deletions;
        }
      }
      // A typo fixed in a comment is code changed, but no one writes a test for it.
      if (tests || code == 0 || code < r.threshold) return;
      break;
    }
    case PrCheck::changed_lines_over: {
      // Lines added: deleting an obsolete file makes a pull request long, not hard to review.
      long changed = 0;
      for (const auto& f : facts.files) {
        if (applies_to(r, f.path)) changed += f.additions;
      }
      if (changed <= r.threshold) return;
      data.set("lines", std::to_string(changed));
      data.set("limit", std::to_string(r.threshold));
      break;
    }
  }
  out.push_back(finding(r, "", 0, std::move(data)));
}

}  // namespace

std::vector<Rule> parse_rules(const YAML::Node& node, const std::string& source, std::vector<YamlProblem>& problems) {
  std::vector<Rule> out;
  if (node.IsSequence()) {
    for (const auto& item : node) {
      if (auto r = parse_rule(item, source, problems)) out.push_back(std::move(*r));
    }
  } else if (!node.IsNull()) {
    if (auto r = parse_rule(node, source, problems)) out.push_back(std::move(*r));
  }
  return out;
}

std::vector<Rule> parse_rules(const std::string& yaml, const std::string& source, std::vector<YamlProblem>& problems) {
  auto node = load_yaml(yaml, problems);
  if (!problems.empty()) return {};
  return parse_rules(node, source, problems);
}

std::vector<Rule> load_rules(const std::filesystem::path& dir) {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.is_regular_file() && entry.path().extension() == ".yml") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  std::vector<Rule> rules;
  std::string errors;
  std::map<std::string, std::string> seen;
  for (const auto& path : files) {
    auto text = read_file_limited(path.string(), file_limit::config);
    std::vector<YamlProblem> problems;
    auto name = (dir.filename() / path.filename()).string();
    for (auto& r : parse_rules(text, name, problems)) {
      if (auto [it, fresh] = seen.emplace(r.id, r.source); !fresh) {
        errors += "\n" + r.source + ": the id " + r.id + " is also used at " + it->second;
        continue;
      }
      rules.push_back(std::move(r));
    }
    for (const auto& p : problems) {
      errors += "\n" + path.string() + ":" + std::to_string(p.line) + ":" + std::to_string(p.column) + ": " + p.message;
    }
  }
  if (!errors.empty()) throw std::runtime_error("the review rules have problems:" + errors);
  return rules;
}

std::filesystem::path locate_rules() { return locate_data("MENTORBOT_RULES", "rules"); }

std::vector<Finding> evaluate(const std::vector<Rule>& rules, const PullRequestFacts& facts) {
  std::vector<Finding> out;
  auto files = read_files(facts);
  for (const auto& r : rules) {
    switch (r.trigger) {
      case Trigger::added_line: added_lines(r, files, out); break;
      case Trigger::commit_message: commit_messages(r, facts, out); break;
      case Trigger::pr: pr_level(r, facts, out); break;
    }
  }
  return out;
}

Selection select(const std::vector<Finding>& findings, bool newcomer, int most) {
  Selection s;
  auto place = [&s](const Finding& f) { (f.line > 0 ? s.inline_comments : s.notes).push_back(f); };
  if (!newcomer) {
    for (const auto& f : findings) {
      if (f.audience != Audience::everyone) continue;
      if (s.inline_comments.size() + s.notes.size() >= static_cast<std::size_t>(std::max(0, most))) break;
      place(f);
    }
    return s;
  }
  // The first finding of each rule, most useful rule first (stable: earlier files and lines win).
  std::vector<const Finding*> firsts;
  std::set<std::string> seen;
  for (const auto& f : findings) {
    if (seen.insert(f.rule).second) firsts.push_back(&f);
  }
  std::stable_sort(firsts.begin(), firsts.end(),
                   [](const Finding* a, const Finding* b) { return a->priority > b->priority; });
  if (firsts.size() > static_cast<std::size_t>(std::max(0, most))) firsts.resize(static_cast<std::size_t>(std::max(0, most)));
  for (const auto* f : firsts) {
    place(*f);
    if (s.questions.empty() && !f->question.empty()) s.questions.push_back(f->question);
  }
  return s;
}

}  // namespace mentorbot::features::review
