// .github/mentorbot.yml: what check-config reports (with lines), what the bot uses, the org
// fallback, `_extends`, and a broken file meaning the defaults with one clear warning.
#include <catch2/catch.hpp>

#include <map>

#include "features/repo_config.hpp"

using namespace mentorbot;
using namespace mentorbot::features;

namespace {

struct Files {
  std::map<std::string, std::string> files;  // "owner/repo:path"
  std::vector<std::string> asked;
  FetchFile fetch() {
    return [this](const std::string& repo, const std::string& path) -> std::optional<std::string> {
      asked.push_back(repo + ":" + path);
      auto it = files.find(repo + ":" + path);
      if (it == files.end()) return std::nullopt;
      return it->second;
    };
  }
};

std::vector<std::string> lines(const std::vector<ConfigProblem>& problems) {
  std::vector<std::string> out;
  for (const auto& p : problems) {
    // The regex and Mustache libraries word their own part: only ours is compared.
    auto m = p.message;
    if (auto at = m.find("is not a valid"); at != std::string::npos) m = m.substr(0, m.find(": ", at)) + ": …";
    out.push_back(std::to_string(p.line) + ":" + std::to_string(p.column) + " " + m);
  }
  return out;
}

}  // namespace

TEST_CASE("repo config: the example from the spec is valid and means what it says", "[config]") {
  auto parsed = parse_repo_config(R"(tone: warm                    # warm | concise | playful
newcomer_threshold: 3
nudge_after_days: 7
reviewers: ["@org/mentors"]
welcome: { enabled: true }
review:
  enabled: true
  max_suggestions: 2
  disable: [large-pr]
  rules: []
coins: { enabled: true, name: "challenge coin" }
labels: { first_timer: { name: "first-time contributor", color: "7057ff" } }
templates:
  welcome: "Thanks for sharing this, @{{author}}! …"
)");
  CHECK(parsed.problems.empty());
  const auto& c = parsed.config;
  CHECK(c.reviewers == std::vector<std::string>{"@org/mentors"});
  CHECK(c.review.disabled_rules == std::vector<std::string>{"large-pr"});
  CHECK(c.templates.at("welcome") == "Thanks for sharing this, @{{author}}! …");
  CHECK(c.labels.first_timer.color == "7057ff");
  CHECK(parse_repo_config("").problems.empty());
}

TEST_CASE("repo config: unknown keys and wrong types are reported with their line and column", "[config]") {
  auto parsed = parse_repo_config(R"(tone: warmm
newcomer_threshold: many
review:
  max_suggestion: 2
  rules:
    - id: shout
      summary: Capitals
      when: { added_line: '[A-Z]{10' }
      suggestion: Quieter, please.
labels:
  first_timer: { color: "#zzzzzz" }
templates:
  welcome: "{{#oops}}"
  farewell: "bye"
)", {}, nullptr, true);
  CHECK(lines(parsed.problems) ==
        std::vector<std::string>{
            "1:7 unknown tone `warmm`: did you mean `warm`?",
            "2:21 newcomer_threshold must be a whole number from 0 to 1000",
            "4:3 unknown key `max_suggestion` in review: did you mean `max_suggestions`?",
            "8:27 when.added_line is not a valid regular expression: …",
            "11:25 labels.first_timer.color must be six hex digits, such as 7057ff",
            "13:12 templates.welcome is not a valid Mustache template: …",
            "14:3 unknown key `farewell` in templates (known: author_nudge, closed_unmerged, coin, coin_award, "
            "coin_first, coin_refused, escalation, nudge, question, review_summary, suggestion, welcome)",
        });
  auto broken = parse_repo_config("tone: [warm\n");
  REQUIRE(broken.problems.size() == 1);
  CHECK(broken.problems[0].line == 1);  // where the [ opens, not past the end where YAML noticed
  CHECK(broken.problems[0].column == 7);
  CHECK_THAT(broken.problems[0].message, Catch::StartsWith("not valid YAML"));
}

TEST_CASE("repo config: the repository's file, else the org's .github, else the defaults", "[config]") {
  Files f;
  f.files["octo/.github:.github/mentorbot.yml"] = "tone: concise\n";
  auto from_org = load_repo_config("octo/shop", f.fetch());
  CHECK(from_org.config.tone == "concise");
  CHECK(from_org.sources == std::vector<std::string>{"octo/shop", "octo/.github"});
  CHECK(from_org.warnings.empty());

  f.files["octo/shop:.github/mentorbot.yml"] = "tone: playful\n";
  CHECK(load_repo_config("octo/shop", f.fetch()).config.tone == "playful");
  CHECK(load_repo_config("other/repo", f.fetch()).config.tone == "warm");
}

TEST_CASE("repo config: _extends takes a base from another repository, the file's own settings win", "[config]") {
  Files f;
  f.files["octo/shop:.github/mentorbot.yml"] = "_extends: policies\nreview: { max_suggestions: 1 }\n";
  f.files["octo/policies:.github/mentorbot.yml"] = "_extends: shared/base:mentoring/mentorbot.yml\ntone: concise\n";
  f.files["shared/base:mentoring/mentorbot.yml"] = "tone: playful\nnudge_after_days: 3\nreview: { max_suggestions: 4 }\n";
  auto loaded = load_repo_config("octo/shop", f.fetch());
  CHECK(loaded.warnings.empty());
  CHECK(loaded.config.tone == "concise");
  CHECK(loaded.config.nudge.after_days == 3);
  CHECK(loaded.config.review.max_suggestions == 1);
  CHECK(loaded.sources == std::vector<std::string>{"octo/shop", "octo/policies", "shared/base"});
}

TEST_CASE("repo config: a broken file, a missing base or a circle means the defaults and one warning", "[config]") {
  Files f;
  f.files["octo/a:.github/mentorbot.yml"] = "tone: concise\nwelcome: yes please\n";
  auto broken = load_repo_config("octo/a", f.fetch());
  CHECK(broken.config.tone == "warm");
  REQUIRE(broken.warnings.size() == 1);
  CHECK(broken.warnings[0] == "octo/a:.github/mentorbot.yml:2:10: welcome must be a mapping (key: value lines)");

  f.files["octo/b:.github/mentorbot.yml"] = "_extends: nowhere\ntone: concise\n";
  auto missing = load_repo_config("octo/b", f.fetch());
  CHECK(missing.config.tone == "warm");
  CHECK(missing.warnings == std::vector<std::string>{
                                "octo/b:.github/mentorbot.yml:1: _extends names octo/nowhere:.github/mentorbot.yml, which does not exist"});

  f.files["octo/c:.github/mentorbot.yml"] = "_extends: d\n";
  f.files["octo/d:.github/mentorbot.yml"] = "_extends: c\n";
  auto circle = load_repo_config("octo/c", f.fetch());
  REQUIRE(circle.warnings.size() == 1);
  CHECK_THAT(circle.warnings[0], Catch::Contains("round in a circle"));
}
