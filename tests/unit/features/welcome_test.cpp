#include <catch2/catch.hpp>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "features/welcome/welcome.hpp"
#include "support/files.hpp"

using namespace mentorbot;

namespace {
github::Event event(const std::string& action, const std::string& association, bool draft = false,
                    const std::string& type = "User", const std::string& login = "Codertocat") {
  auto v = boost::json::parse(testing::fixture("pull_request/opened.json"));
  auto& pr = v.as_object()["pull_request"].as_object();
  pr["author_association"] = association;
  pr["draft"] = draft;
  pr["user"].as_object()["type"] = type;
  pr["user"].as_object()["login"] = login;
  v.as_object()["action"] = action;
  return github::parse_event("d", "pull_request", boost::json::serialize(v));
}
}  // namespace

TEST_CASE("who is welcomed, and when", "[welcome]") {
  struct Row {
    std::string action, association;
    bool draft;
    std::string type, login;
    bool welcomed;
  };
  std::vector<Row> table = {
      {"opened", "FIRST_TIME_CONTRIBUTOR", false, "User", "nina", true},
      {"opened", "FIRST_TIMER", false, "User", "nina", true},
      {"opened", "first_time_contributor", false, "User", "nina", true},  // GHE has sent odd case
      {"reopened", "FIRST_TIMER", false, "User", "nina", true},
      {"ready_for_review", "FIRST_TIMER", false, "User", "nina", true},
      {"opened", "FIRST_TIMER", true, "User", "nina", false},  // drafts wait for ready_for_review
      {"opened", "CONTRIBUTOR", false, "User", "nina", false},
      {"opened", "OWNER", false, "User", "nina", false},
      {"opened", "MEMBER", false, "User", "nina", false},
      {"opened", "NONE", false, "User", "nina", false},
      {"opened", "FIRST_TIMER", false, "Bot", "dependabot[bot]", false},
      {"opened", "FIRST_TIMER", false, "User", "renovate[bot]", false},
      {"synchronize", "FIRST_TIMER", false, "User", "nina", false},
      {"closed", "FIRST_TIMER", false, "User", "nina", false},
  };
  for (const auto& r : table) {
    INFO(r.action << " " << r.association << (r.draft ? " draft " : " ") << r.type << " " << r.login);
    auto plan = features::welcome::decide(event(r.action, r.association, r.draft, r.type, r.login));
    CHECK(plan.has_value() == r.welcomed);
  }
}

TEST_CASE("the welcome is keyed by its pull request and mentions only a plain login", "[welcome]") {
  auto plan = features::welcome::decide(event("opened", "FIRST_TIMER", false, "User", "nina-dev"));
  REQUIRE(plan);
  CHECK(plan->key == "welcome:Codertocat/Hello-World#2");
  CHECK(plan->installation_id == 1);
  CHECK(plan->number == 2);
  CHECK_THAT(plan->body, Catch::StartsWith("Thanks for sharing this, @nina-dev, and welcome!"));
  CHECK_THAT(plan->body, Catch::Contains("I am mentorbot, a bot"));
  auto odd = features::welcome::decide(event("opened", "FIRST_TIMER", false, "User", "x<b>y"));
  REQUIRE(odd);
  CHECK(odd->body.find("<b>") == std::string::npos);
  for (const char* word : {"just", "simply", "obviously", "easy", "trivial"}) {
    INFO(word);
    CHECK(plan->body.find(word) == std::string::npos);
  }
}
