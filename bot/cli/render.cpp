// `mentorbot render TEMPLATE`: a template (by name, or a .md file) rendered with JSON data, or
// with sample data: what a person would read.
#include <filesystem>
#include <iostream>

#include <boost/json/parse.hpp>

#include "cli/verbs.hpp"
#include "core/errors.hpp"
#include "core/read_file.hpp"
#include "render/templates.hpp"

namespace mentorbot::cli {
namespace {

// Example values for `mentorbot render` without --data: a first-time contributor's PR.
constexpr const char* sample_data = R"({
  "author": "octocat", "repo": "octo-org/hello-world",
  "pr": {"number": "42", "title": "Fix the typo in the README"},
  "status": "first_time_contributor", "is_first_time_contributor": true,
  "noticed": true, "noticed_docs": true,
  "coins": "1", "coin_name": "challenge coin", "badge_url": "https://mentorbot.example/badges/octocat.svg",
  "good_first_issues_url": "https://github.com/octo-org/hello-world/contribute",
  "reviewers": "@octo-org/mentors", "days": "7", "for_newcomer": true,
  "notes": [{"rule": "no-description", "message": "The description is empty for now."}],
  "inline_count": "1", "one_inline": true,
  "message": "It looks like `console.log('here')` may be left over from debugging.",
  "question": "What were you looking for when you added it, and did you find it?",
  "questions": ["One question for you, if you have a moment. What did you try first?"]
})";

}  // namespace

int render_template(const Args& args) {
  if (args.positional.size() != 1) {
    throw ConfigError("usage: mentorbot render TEMPLATE [--data FILE] [--tone warm|concise|playful]");
  }
  const auto& name = args.positional[0];
  std::string json_text = sample_data;
  if (auto data = args.flag("--data")) json_text = read_file_limited(*data, file_limit::data);
  boost::json::error_code ec;
  auto json = boost::json::parse(json_text, ec);
  if (ec || !json.is_object()) throw ConfigError("--data must name a file holding a JSON object");
  auto data = render::from_json(json);
  std::string tone = args.flag("--tone").value_or("warm");
  if (std::find(std::begin(render::tones), std::end(render::tones), tone) == std::end(render::tones)) {
    throw ConfigError("--tone must be warm, concise or playful");
  }
  // A template by name, or a Mustache file of one's own: a .md file, nothing else.
  if (name.ends_with(".md")) {
    std::cout << render::render_source(read_file_limited(name, file_limit::template_text), data, name) << "\n";
    return 0;
  }
  auto templates = render::Templates::load(render::Templates::locate());
  if (!templates.has(tone, name)) {
    std::string names;
    for (const char* n : render::template_names) names += std::string(names.empty() ? "" : ", ") + n;
    throw ConfigError("no template \"" + name + "\" (the names are " + names + ", or give a .md file)");
  }
  std::cout << templates.render(tone, name, data) << "\n";
  return 0;
}

}  // namespace mentorbot::cli
