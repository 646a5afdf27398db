#include "features/preview/preview.hpp"

#include <algorithm>

#include "core/overloaded.hpp"
#include "features/preview/line_diff.hpp"
#include "features/samples.hpp"
#include "features/words.hpp"
#include "render/escape.hpp"

namespace mentorbot::features::preview {
namespace {

constexpr const char* broken_mark = "<!-- mentorbot-preview: problems -->";
constexpr const char* valid_mark = "<!-- mentorbot-preview: valid -->";
// Once fixed, the comment keeps saying so: the same files always make the same words, so a push
// delivered again edits nothing.
constexpr const char* valid_again_mark = "<!-- mentorbot-preview: valid again -->";

// Every @mention made harmless (a zero-width joiner after the @), line breaks kept.
std::string defused(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    out += text[i];
    if (text[i] == '@' && i + 1 < text.size()) {
      unsigned char next = static_cast<unsigned char>(text[i + 1]);
      if (std::isalnum(next) || next == '-' || next == '_') out += "\u200d";
    }
  }
  return out;
}

// A code fence longer than any run of backticks inside.
std::string fence_for(const std::string& text) {
  std::size_t longest = 0, run = 0;
  for (char c : text) {
    run = c == '`' ? run + 1 : 0;
    longest = std::max(longest, run);
  }
  return std::string(std::max<std::size_t>(3, longest + 1), '`');
}

std::string place(const FileProblem& p) {
  std::string s = p.repo + ":" + p.path;
  if (p.line > 0) s += ":" + std::to_string(p.line);
  if (p.line > 0 && p.column > 0) s += ":" + std::to_string(p.column);
  return s;
}

// GitHub takes at most 65,536 characters in a comment: the preview stays well below.
constexpr std::size_t most_chars = 60000;

std::size_t count_of(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + what.size())) ++n;
  return n;
}

std::size_t blocking(const LoadedConfig& c) {
  return static_cast<std::size_t>(
      std::count_if(c.problems.begin(), c.problems.end(), [](const FileProblem& p) { return !p.warning; }));
}

}  // namespace

std::vector<Sample> samples(const LoadedConfig& config, const render::Templates& templates) {
  Words words(&templates, config.config);
  std::string on_line = "On `" + std::string(sample_json().at("path").as_string()) + "` line " +
                        std::string(sample_json().at("line").as_string()) + ":\n\n";
  return {
      {"Welcome, for someone whose first pull request on GitHub this is", words("welcome", sample_for("welcome"))},
      {"Review, with one suggestion beside a line",
       words("review_summary", sample_for("review_summary")) + "\n\n---\n\n" + on_line +
           words("suggestion", sample_for("suggestion"))},
      {"First merge in the repository: the coin", words("coin_first", sample_for("coin_first"))},
      {"Closed without merging: the closing note", words("closed_unmerged", sample_for("closed_unmerged"))},
  };
}

std::vector<std::string> problem_lines(const LoadedConfig& config) {
  std::vector<std::string> out;
  for (bool doubts : {false, true}) {
    for (const auto& p : config.problems) {
      if (p.warning == doubts) out.push_back(place(p) + ": " + (doubts ? "warning: " : "") + p.message);
    }
  }
  return out;
}

std::string body(const Input& in, const render::Templates& templates, const Where& where) {
  const auto& head = in.head;
  std::string out;
  auto n = blocking(head);
  out += std::string(n ? broken_mark : in.was_broken ? valid_again_mark : valid_mark) + "\n";
  out += "### How mentorbot will speak with this pull request's files\n\n";
  if (n) {
    out += "**" + std::to_string(n) + (n == 1 ? " problem" : " problems") +
           "** to fix first. Until then mentorbot uses its defaults for this repository, so the words below "
           "are the defaults:\n\n";
    for (const auto& p : head.problems) {
      if (!p.warning) out += "- " + defused(where(p)) + ": " + defused(p.message) + "\n";
    }
    out += "\n";
  } else {
    out += "The files are valid" + std::string(in.was_broken ? " again" : "") + " (tone `" + head.config.tone + "`)" +
           (in.was_broken ? ": the problems found on an earlier push are fixed" : "") + ".\n\n";
  }
  if (n < head.problems.size()) {
    out += "Worth a second look (the words still go out as written):\n\n";
    for (const auto& p : head.problems) {
      if (p.warning) out += "- " + defused(where(p)) + ": " + defused(p.message) + "\n";
    }
    out += "\n";
  }
  auto now = samples(head, templates);
  for (const auto& s : now) {
    out += "<details><summary>" + s.title + "</summary>\n\n" + defused(s.text) + "\n\n</details>\n";
  }
  if (in.base) {
    auto before = samples(*in.base, templates);
    std::string changes;
    for (std::size_t i = 0; i < now.size() && i < before.size(); ++i) {
      auto diff = line_diff(before[i].text, now[i].text);
      if (diff.empty()) continue;
      auto fence = fence_for(diff);
      changes += "**" + now[i].title + "**\n\n" + fence + "diff\n" + diff + fence + "\n\n";
    }
    if (!changes.empty()) {
      changes = "<details><summary>What changes against `" + in.base_name + "`</summary>\n\n" + changes + "</details>\n";
    }
    if (out.size() + changes.size() <= most_chars) {
      out += changes;
    } else if (!changes.empty()) {
      out += "\nThe comparison with `" + in.base_name + "` is left out: it would make this comment longer than GitHub takes.\n";
    }
  }
  if (out.size() > most_chars) {
    out.erase(out.rfind('\n', most_chars));
    auto opened = count_of(out, "<details>"), closed = count_of(out, "</details>");
    out += "\n";
    for (auto i = closed; i < opened; ++i) out += "\n</details>\n";
    out += "\nThe rest is left out: GitHub takes at most 65,536 characters in a comment. "
           "`mentorbot check-config --repo-dir .` shows every problem.\n";
  }
  out += "\n<sub>mentorbot shows this on every pull request that changes `.github/mentorbot.yml` or "
         "`.github/mentorbot/`, and updates it on each push. `mentorbot check-config --repo-dir .` and "
         "`mentorbot render --repo-dir .` show the same on your machine.</sub>";
  return out;
}

std::vector<std::string> config_paths(const std::vector<github::ChangedFile>& files) {
  std::vector<std::string> out;
  for (const auto& f : files) {
    if (is_config_path(f.path)) out.push_back(f.path);
  }
  return out;
}

bool wants_preview(const github::PullRequestEvent& e) {
  if (e.action != "opened" && e.action != "reopened" && e.action != "synchronize") return false;
  return e.pull_request.state == "open" && e.installation;
}

Previous previous_from(const std::vector<store::outbox::Row>& rows) {
  Previous p;
  for (const auto& row : rows) {
    if (!row.unreadable.empty() || !row.write.key.starts_with("preview")) continue;
    bool failed = row.state == store::outbox::State::failed;
    std::visit(Overloaded{
                   [&](const store::outbox::Comment& c) {
                     if (failed) {  // never made: the next one is a new comment
                       ++p.failed;
                       return;
                     }
                     p.posted = true;
                     p.of = row.write.key;
                     p.body = c.body;
                   },
                   [&](const store::outbox::CommentEdit& e) {
                     if (!failed && e.of == p.of) p.body = e.body;
                   },
                   [](const auto&) {},
               },
               row.write.change);
  }
  return p;
}

std::vector<store::outbox::Write> decide(const github::PullRequestEvent& e, const std::optional<std::string>& body,
                                         const Previous& previous, const std::string& delivery) {
  std::vector<store::outbox::Write> out;
  if (!wants_preview(e)) return out;
  const auto& pr = e.pull_request;
  const auto& repo = e.repository.full_name;
  auto key = "preview:" + repo + "#" + std::to_string(pr.number);
  if (previous.failed) key += "~" + std::to_string(previous.failed);
  std::string text;
  if (body) {
    text = *body;
  } else if (previous.posted) {
    text = std::string(valid_mark) + "\nThis pull request no longer changes mentorbot's files, so there is nothing "
                                     "to preview. mentorbot keeps the words of the default branch.";
  } else {
    return out;
  }
  if (!previous.posted) {
    out.push_back({key, *e.installation, repo, pr.number, store::outbox::Comment{text}});
  } else if (text != previous.body) {
    // Keyed by the delivery: a redelivery repeats nothing, and a push back to an earlier commit
    // still edits.
    out.push_back({"preview-edit:" + repo + "#" + std::to_string(pr.number) + "@" + delivery, *e.installation, repo,
                   pr.number, store::outbox::CommentEdit{previous.of, text}});
  }
  return out;
}

void handle(const github::PullRequestEvent& e, Context& context) {
  if (!wants_preview(e) || !context.templates) return;
  auto& sources = context.sources;
  const auto& repo = e.repository.full_name;
  const auto& pr = e.pull_request;
  auto changed = config_paths(sources.read_files(e));
  auto previous = previous_from(sources.planned_on(repo, pr.number));
  if (changed.empty() && !previous.posted) return;
  std::optional<std::string> text;
  if (!changed.empty()) {
    Input in;
    in.head = sources.config_at(*e.installation, repo, pr.head_sha);
    in.base = sources.config_at(*e.installation, repo, "");
    in.base_name = e.repository.default_branch;
    in.was_broken = previous.body.find(broken_mark) != std::string::npos ||
                    previous.body.find(valid_again_mark) != std::string::npos;
    // What another repository's files hold is for those who can read it: only where.
    for (auto& p : in.head.problems) {
      if (p.repo != repo) p.message = "a problem in this file; `mentorbot check-config` in " + p.repo + " shows it";
    }
    // A changed template the config does not use (another tone's, say) is checked too.
    for (const auto& path : changed) {
      auto name = path.substr(path.rfind('/') + 1);
      if (!path.starts_with(std::string(words_dir) + "/") || not_a_template(name) ||
          in.head.checked.count(repo + ":" + path)) {
        continue;
      }
      auto file = sources.file_at(*e.installation, repo, path, pr.head_sha);
      if (!file) continue;  // removed
      for (auto& p : check_template_file(repo, path, *file)) {
        if (!p.warning) p.message = "(this config does not read the file, so its defaults are not at stake) " + p.message;
        p.warning = true;
        in.head.problems.push_back(std::move(p));
      }
    }
    std::string site = e.repository.html_url;
    Where where = [&](const FileProblem& p) {
      std::string label = render::code_span(p.path) + (p.line > 0 ? " line " + std::to_string(p.line) : "");
      if (p.repo != repo) label = p.repo + " " + label;
      std::string host = site.substr(0, site.size() - std::min(site.size(), repo.size()));
      std::string ref = p.repo == repo ? pr.head_sha : "HEAD";
      return "[" + label + "](" + host + p.repo + "/blob/" + ref + "/" + p.path +
             (p.line > 0 ? "#L" + std::to_string(p.line) : "") + ")";
    };
    text = body(in, *context.templates, where);
  }
  for (auto& w : decide(e, text, previous, context.delivery)) context.handover.write(std::move(w));
}

}  // namespace mentorbot::features::preview
