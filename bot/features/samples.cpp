#include "features/samples.hpp"

#include <boost/json/parse.hpp>

namespace mentorbot::features {

const boost::json::object& sample_json() {
  static const boost::json::object sample = boost::json::parse(R"({
  "author": "octocat", "repo": "octo-org/hello-world",
  "repo_url": "https://github.com/octo-org/hello-world",
  "pr": {"number": "42", "title": "Fix the typo in the README"},
  "status": "first_time_contributor", "is_first_time_contributor": true,
  "noticed": true, "noticed_docs": true,
  "coins": "1", "coin_name": "challenge coin", "badge_url": "https://mentorbot.example/badges/octocat.svg",
  "good_first_issues_url": "https://github.com/octo-org/hello-world/contribute",
  "reviewers": "@octo-org/mentors", "days": "7", "for_newcomer": true,
  "notes": [{"rule": "no-description", "message": "The description is empty for now."}],
  "inline_count": "1", "one_inline": true,
  "rule": "debug-print", "path": "src/app.js", "line": "12",
  "message": "It looks like `console.log('here')` may be left over from debugging.",
  "question": "What were you looking for when you added it, and did you find it?",
  "questions": ["One question for you, if you have a moment. What did you try first?"]
})").as_object();
  return sample;
}

render::Data sample_for(const std::string& name) {
  auto data = sample_json();
  if (name == "welcome") {
    data.erase("is_first_time_contributor");
    data["status"] = "first_timer";
    data["is_first_timer"] = true;
  }
  return render::from_json(data);
}

}  // namespace mentorbot::features
