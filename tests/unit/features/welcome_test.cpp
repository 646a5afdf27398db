#include <catch2/catch.hpp>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "features/welcome/welcome.hpp"
#include "support/files.hpp"

using namespace mentorbot;
using history::Classification;
using history::Status;
namespace welcome = mentorbot::features::welcome;

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

features::review::ChangedFile file(const std::string& path, int added, int removed = 0) {
  return {path, "modified", added, removed, std::nullopt};
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
    auto e = event(r.action, r.draft, r.type, r.login);
    auto pr = features::pull_request_of(e);
    REQUIRE(pr);
    auto plan = welcome::decide(e, *pr, Classification{r.status, ""}, RepoConfig{});
    CHECK(plan.has_value() == r.welcomed);
  }
}

TEST_CASE("the welcome is keyed by its pull request, and a repository can switch it off", "[welcome]") {
  auto e = event("opened");
  auto pr = features::pull_request_of(e);
  REQUIRE(pr);
  auto plan = welcome::decide(e, *pr, {Status::first_time_contributor, ""}, RepoConfig{});
  REQUIRE(plan);
  CHECK(plan->key == "welcome:Codertocat/Hello-World#2");
  CHECK(plan->installation_id == 1);
  CHECK(plan->number == 2);
  RepoConfig off;
  off.welcome_enabled = false;
  CHECK_FALSE(welcome::decide(e, *pr, {Status::first_time_contributor, ""}, off));
}

TEST_CASE("the welcome's observation is about this change", "[welcome]") {
  using K = welcome::Observation::Kind;
  features::PullRequest pr;
  pr.repo = "octo-org/hello-world";
  using F = features::review::PullRequestFacts;
  CHECK(welcome::observe(pr, F{"", {file("src/cart.py", 20), file("tests/test_cart.py", 15)}, {}}).kind == K::tests);
  CHECK(welcome::observe(pr, F{"", {file("README.md", 3, 1), file("docs/install.md", 10)}, {}}).kind == K::docs);
  auto one = welcome::observe(pr, F{"", {file("src/a_b.py", 4, 2)}, {}});
  CHECK(one.kind == K::focused);
  CHECK(one.file == "src/a_b.py");
  F big{"", {file("src/cart.py", 300), file("src/tax.py", 120)}, {}};
  CHECK(welcome::observe(pr, big).kind == K::none);
  pr.body = std::string(130, 'x');
  CHECK(welcome::observe(pr, big).kind == K::description);
  // Without the files, the payload's counts still say it is small.
  features::PullRequest small;
  small.changed_files = 1;
  small.additions = 3;
  CHECK(welcome::observe(small, {}).kind == K::small);

  render::Data data;
  welcome::add_observation(data, one);
  CHECK(render::render_source("{{#noticed_focused}}{{{noticed_file}}}{{/noticed_focused}}", data, "t") == "`src/a_b.py`");
}

TEST_CASE("only a login shaped as GitHub makes them is ever mentioned", "[welcome]") {
  for (const std::string& ok : {std::string("nina-dev"), std::string("a"), std::string("Octo-Cat-2"), std::string(39, 'n')}) {
    INFO(ok);
    CHECK(mentorbot::features::plain_login(ok));
  }
  for (const std::string& bad : {std::string(), std::string("-nina"), std::string("nina-"), std::string("ni--na"),
                                std::string("org/team"), std::string("nina dev"), std::string("dependabot[bot]"),
                                std::string("x@y"), std::string(40, 'n')}) {
    INFO(bad);
    CHECK_FALSE(mentorbot::features::plain_login(bad));
  }
}
