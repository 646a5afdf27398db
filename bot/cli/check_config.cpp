// `mentorbot check-config FILE`: a .github/mentorbot.yml checked as the bot reads it, each
// problem as FILE:LINE:COLUMN: message.
#include <iostream>

#include "cli/verbs.hpp"
#include "core/errors.hpp"
#include "core/read_file.hpp"
#include "features/repo_config.hpp"

namespace mentorbot::cli {

int check_config(const Args& args) {
  if (args.positional.size() != 1) throw ConfigError("usage: mentorbot check-config FILE");
  const auto& file = args.positional[0];
  auto parsed = features::parse_repo_config(read_file_limited(file, file_limit::config));
  for (const auto& p : parsed.problems) {
    std::cout << file << ":" << p.line << ":" << p.column << ": " << p.message << "\n";
  }
  if (!parsed.problems.empty()) {
    std::cout << parsed.problems.size() << " problem(s); until they are fixed mentorbot uses its defaults for "
              << "this repository\n";
    return 1;
  }
  const auto& c = parsed.config;
  std::cout << file << ": ok (tone " << c.tone << ", newcomer threshold " << c.newcomer_threshold
            << ", nudge after " << c.nudge.after_days << " days, up to " << c.review.max_suggestions
            << " suggestions for newcomers, " << c.review.extra_rules.size() << " extra rule(s), "
            << c.review.disabled_rules.size() << " rule(s) switched off";
  if (c.extends) std::cout << "; extends " << *c.extends << ", which is checked when it is read";
  std::cout << ")\n";
  return 0;
}

}  // namespace mentorbot::cli
