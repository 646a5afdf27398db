#include <catch2/catch.hpp>

#include "support/fixed_ports.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "core/clock.hpp"
#include "features/welcome/welcome.hpp"
#include "store/pipeline.hpp"
#include "support/files.hpp"

using namespace mentorbot;
using history::Classification;
using history::Status;
namespace welcome = mentorbot::features::welcome;

namespace {

github::PullRequestEvent event(const std::string& action, bool draft = false, const std::string& type = "User",
                               const std::string& login = "Codertocat") {
  auto v = boost::json::parse(testing::fixture("pull_request/opened.json"));
  auto& pr = v.as_object()["pull_request"].as_object();
  pr["draft"] = draft;
  pr["user"].as_object()["type"] = type;
  pr["user"].as_object()["login"] = login;
  v.as_object()["action"] = action;
  return std::get<github::PullRequestEvent>(github::parse_event("d", "pull_request", boost::json::serialize(v)).payload);
}

github::ChangedFile file(const std::string& path, int added, int removed = 0) {
  return {path, "modified", added, removed, std::nullopt};
}

// The warm words (made on first use: the templates cannot load before main()).
const features::Words& words() {
  static const features::Words w(&testing::source_templates(), "warm", {});
  return w;
}

}  // namespace

TEST_CASE("who is welcomed, and when", "[welcome]") {
  struct Row {
    std::string action;
    Status status;
    bool draft;
    std::string type, login;
    bool enabled;
    bool welcomed;
  };
  std::vector<Row> table = {
      {"opened", Status::first_time_contributor, false, "User", "nina", true, true},
      {"opened", Status::first_timer, false, "User", "nina", true, true},
      {"opened", Status::newcomer, false, "User", "nina", true, true},
      {"reopened", Status::first_timer, false, "User", "nina", true, true},
      {"ready_for_review", Status::first_timer, false, "User", "nina", true, true},
      {"opened", Status::first_timer, true, "User", "nina", true, false},  // drafts wait for ready_for_review
      {"opened", Status::regular, false, "User", "nina", true, false},
      {"opened", Status::unknown, false, "User", "nina", true, false},  // a wrong greeting is worse than none
      {"opened", Status::first_timer, false, "Bot", "dependabot[bot]", true, false},
      {"opened", Status::first_timer, false, "User", "renovate[bot]", true, false},
      {"synchronize", Status::first_timer, false, "User", "nina", true, false},
      {"closed", Status::first_timer, false, "User", "nina", true, false},
      {"opened", Status::first_timer, false, "User", "nina", false, false},  // welcome.enabled: false
  };
  for (const auto& r : table) {
    INFO(r.action << " " << history::to_string(r.status) << (r.draft ? " draft " : " ") << r.login
                  << (r.enabled ? "" : " (off)"));
    welcome::Settings settings;
    settings.enabled = r.enabled;
    auto write = welcome::decide(event(r.action, r.draft, r.type, r.login), settings, Classification{r.status, ""}, {},
                                 words());
    CHECK(write.has_value() == r.welcomed);
  }
}

TEST_CASE("the welcome is keyed by its pull request and worded by class", "[welcome]") {
  auto write = welcome::decide(event("opened"), {}, {Status::first_time_contributor, ""}, {}, words());
  REQUIRE(write);
  CHECK(write->key == "welcome:Codertocat/Hello-World#2");
  CHECK(write->installation_id == 1);
  CHECK(write->repo == "Codertocat/Hello-World");
  CHECK(write->number == 2);
  auto body = std::get<store::outbox::Comment>(write->change).body;
  CHECK_THAT(body, Catch::Contains("@Codertocat"));
  auto first_timer = welcome::decide(event("opened"), {}, {Status::first_timer, ""}, {}, words());
  CHECK(std::get<store::outbox::Comment>(first_timer->change).body != body);
}

TEST_CASE("the welcome's observation is about this change", "[welcome]") {
  using K = welcome::Observation::Kind;
  github::PullRequest pr;
  using Files = std::vector<github::ChangedFile>;
  auto observe = [&pr](const Files& files) { return welcome::observe(pr, &files); };
  CHECK(observe({file("src/cart.py", 20), file("tests/test_cart.py", 15)}).kind == K::tests);
  CHECK(observe({file("README.md", 3, 1), file("docs/install.md", 10)}).kind == K::docs);
  auto one = observe({file("src/a_b.py", 4, 2)});
  CHECK(one.kind == K::focused);
  CHECK(one.file == "src/a_b.py");
  Files big{file("src/cart.py", 300), file("src/tax.py", 120)};
  CHECK(observe(big).kind == K::none);
  pr.body = std::string(130, 'x');
  CHECK(observe(big).kind == K::description);
  // Without the files, the payload's counts still say it is small.
  github::PullRequest small;
  small.changed_files = 1;
  small.additions = 3;
  CHECK(welcome::observe(small, nullptr).kind == K::small);

  render::Data data;
  welcome::add_observation(data, one);
  CHECK(render::render_source("{{#noticed_focused}}{{{noticed_file}}}{{/noticed_focused}}", data, "t") == "`src/a_b.py`");
}

TEST_CASE("the welcome asks who the author is and what changed, and waits for nobody when the files fail",
          "[welcome]") {
  testing::Handling h;
  h.sources.files = {file("docs/install.md", 10)};
  welcome::handle(event("opened"), h.context);
  CHECK(h.sources.authors_asked == 1);
  CHECK(h.sources.files_read == 1);
  REQUIRE(h.handover.plan.writes.size() == 1);
  CHECK_THAT(std::get<store::outbox::Comment>(h.handover.plan.writes[0].change).body, Catch::Contains("doc"));

  testing::Handling down;
  down.sources.files_fail = true;
  welcome::handle(event("opened"), down.context);
  CHECK(down.handover.plan.writes.size() == 1);  // the observation is a kindness, not a reason to wait

  testing::Handling regular;
  regular.sources.author = {Status::regular, "many commits"};
  welcome::handle(event("opened"), regular.context);
  CHECK(regular.handover.plan.writes.empty());
  CHECK(regular.sources.files_read == 0);  // nothing fetched for nothing

  testing::Handling draft;
  welcome::handle(event("opened", true), draft.context);
  CHECK(draft.sources.authors_asked == 0);
}

TEST_CASE("the welcome says when a reply usually comes only when the repository's numbers say so",
          "[welcome][pipeline]") {
  std::vector<store::pipeline::Entry> rows;
  auto welcome_text = [&](const features::RepoConfig& config) {
    testing::Handling h;
    h.sources.config = config;
    h.sources.pipeline = rows;
    welcome::handle(event("opened"), h.context);
    REQUIRE(h.handover.plan.writes.size() == 1);
    return std::get<store::outbox::Comment>(h.handover.plan.writes[0].change).body;
  };
  // Newcomers' pull requests in the last 90 days, answered after 30 hours (and one after 3 days).
  auto now = unix_ms();
  auto answered = [&](std::int64_t number, std::int64_t after_h) {
    store::pipeline::Entry e;
    e.repo = "Codertocat/Hello-World";
    e.number = 100 + number;
    e.author = "newcomer" + std::to_string(number);
    e.newcomer = true;
    e.turn = "review";
    e.opened_at = e.turn_since = e.ready_at = now - (number + 5) * 24 * 3600 * 1000LL;
    e.first_response_at = e.opened_at + after_h * 3600 * 1000;
    rows.push_back(e);
  };
  for (int i = 0; i < 8; ++i) answered(i, 30);
  answered(8, 72);
  features::RepoConfig config;
  CHECK_THAT(welcome_text(config), !Catch::Contains("reply"));  // 9 pull requests: too few to say anything
  config.welcome.expected_response = "We look at pull requests every Tuesday.";
  CHECK_THAT(welcome_text(config), Catch::Contains("every Tuesday."));
  answered(9, 30);
  CHECK_THAT(welcome_text(config), Catch::Contains("Most first pull requests here get a reply within 2 days."));
  CHECK_THAT(welcome_text(config), !Catch::Contains("Tuesday"));
  config.welcome.response_samples = 11;
  CHECK_THAT(welcome_text(config), Catch::Contains("every Tuesday."));
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
