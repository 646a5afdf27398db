#include <catch2/catch.hpp>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "features/welcome/welcome.hpp"
#include "support/files.hpp"

using namespace mentorbot;
using history::Classification;
using history::Status;

namespace {
github::Event event(const std::string& action, bool draft = false, const std::string& type = "User",
                    const std::string& login = "Codertocat") {
  auto v = boost::json::parse(testing::fixture("pull_request/opened.json"));
  auto& pr = v.as_object()["pull_request"].as_object();
  pr["draft"] = draft;
  pr["user"].as_object()["type"] = type;
  pr["user"].as_object()["login"] = login;
  v.as_object()["action"] = action;
  return github::parse_event("d", "pull_request", boost::json::serialize(v));
}
}  // namespace

TEST_CASE("who is welcomed, and when", "[welcome]") {
  struct Row {
    std::string action;
    Status status;
    bool draft;
    std::string type, login;
    bool welcomed;
  };
  std::vector<Row> table = {
      {"opened", Status::first_time_contributor, false, "User", "nina", true},
      {"opened", Status::first_timer, false, "User", "nina", true},
      {"opened", Status::newcomer, false, "User", "nina", true},
      {"reopened", Status::first_timer, false, "User", "nina", true},
      {"ready_for_review", Status::first_timer, false, "User", "nina", true},
      {"opened", Status::first_timer, true, "User", "nina", false},  // drafts wait for ready_for_review
      {"opened", Status::regular, false, "User", "nina", false},
      {"opened", Status::unknown, false, "User", "nina", false},  // a wrong greeting is worse than none
      {"opened", Status::first_timer, false, "Bot", "dependabot[bot]", false},
      {"opened", Status::first_timer, false, "User", "renovate[bot]", false},
      {"synchronize", Status::first_timer, false, "User", "nina", false},
      {"closed", Status::first_timer, false, "User", "nina", false},
  };
  for (const auto& r : table) {
    INFO(r.action << " " << history::to_string(r.status) << (r.draft ? " draft " : " ") << r.login);
    auto plan = features::welcome::decide(event(r.action, r.draft, r.type, r.login), Classification{r.status, ""});
    CHECK(plan.has_value() == r.welcomed);
  }
}

TEST_CASE("the welcome is keyed by its pull request, its words depend on the class", "[welcome]") {
  auto plan = features::welcome::decide(event("opened", false, "User", "nina-dev"), {Status::first_time_contributor, ""});
  REQUIRE(plan);
  CHECK(plan->key == "welcome:Codertocat/Hello-World#2");
  CHECK(plan->installation_id == 1);
  CHECK(plan->number == 2);
  CHECK_THAT(plan->body, Catch::StartsWith("Thanks for sharing this, @nina-dev, and welcome! This is your first"));
  CHECK_THAT(plan->body, Catch::Contains("I am mentorbot, a bot"));
  auto again = features::welcome::decide(event("opened", false, "User", "nina-dev"), {Status::newcomer, ""});
  CHECK_THAT(again->body, Catch::Contains("welcome back"));
  auto odd = features::welcome::decide(event("opened", false, "User", "x<b>y"), {Status::first_timer, ""});
  REQUIRE(odd);
  CHECK(odd->body.find("<b>") == std::string::npos);
  for (const auto* p : {&*plan, &*again}) {
    for (const char* word : {"just", "simply", "obviously", "easy", "trivial"}) {
      INFO(word);
      CHECK(p->body.find(word) == std::string::npos);
    }
  }
}
