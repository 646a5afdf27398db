// `mentorbot check-config FILE` or `--repo-dir PATH [--org-dir PATH]`: a .github/mentorbot.yml
// (with --repo-dir, also the templates under .github/mentorbot/ and the org's tones) checked as
// the bot reads it, each problem as FILE:LINE:COLUMN: message, then the doubts about the words as
// FILE:LINE: warning: message: the same the words preview shows on a pull request.
#include <iostream>

#include "cli/local_repo.hpp"
#include "cli/verbs.hpp"
#include "core/errors.hpp"
#include "core/read_file.hpp"
#include "features/repo_config.hpp"

namespace mentorbot::cli {
namespace {

void print_ok(const std::string& what, const features::RepoConfig& c) {
  std::cout << what << ": ok (tone " << c.tone << ", newcomer threshold " << c.newcomer_threshold << ", nudge after "
            << c.nudge.after_days << " days, up to " << c.review.max_suggestions << " suggestions for newcomers, "
            << c.review.extra_rules.size() << " extra rule(s), " << c.review.disabled_rules.size()
            << " rule(s) switched off";
}

constexpr const char* until_fixed = " problem(s); until they are fixed mentorbot uses its defaults for this repository\n";

int check_repo_dir(const std::string& dir, const Args& args) {
  LocalRepo local(dir, args.flag("--org-dir"));
  auto loaded = local.load();
  std::size_t blocking = 0;
  for (bool doubts : {false, true}) {
    for (const auto& p : loaded.problems) {
      if (p.warning != doubts) continue;
      blocking += doubts ? 0 : 1;
      std::cout << local.place(p) << ": " << (doubts ? "warning: " : "") << p.message << "\n";
    }
  }
  if (blocking) {
    std::cout << blocking << until_fixed;
    return 1;
  }
  print_ok(dir, loaded.config);
  std::cout << ", " << loaded.template_from.size() << " template(s) of its own)\n";
  return 0;
}

}  // namespace

int check_config(const Args& args) {
  if (auto dir = args.flag("--repo-dir")) {
    if (!args.positional.empty()) throw ConfigError("usage: mentorbot check-config FILE | --repo-dir PATH [--org-dir PATH]");
    return check_repo_dir(*dir, args);
  }
  if (args.positional.size() != 1) throw ConfigError("usage: mentorbot check-config FILE | --repo-dir PATH [--org-dir PATH]");
  const auto& file = args.positional[0];
  auto parsed = features::parse_repo_config(read_file_limited(file, file_limit::config), {}, nullptr, true);
  for (const auto& p : parsed.problems) {
    std::cout << file << ":" << p.line << ":" << p.column << ": " << p.message << "\n";
  }
  if (!parsed.problems.empty()) {
    std::cout << parsed.problems.size() << until_fixed;
    return 1;
  }
  for (const auto& p : features::check_inline_templates(file, file, parsed)) {
    std::cout << file << ":" << p.line << ": " << (p.warning ? "warning: " : "") << p.message << "\n";
  }
  const auto& c = parsed.config;
  print_ok(file, c);
  if (parsed.org_tone) std::cout << "; tone " << *parsed.org_tone << " must be in the org's .github repository, under .github/mentorbot/tones/" << *parsed.org_tone << "/";
  if (c.extends) std::cout << "; extends " << *c.extends << ", which is checked when it is read";
  std::cout << ")\n";
  return 0;
}

}  // namespace mentorbot::cli
