// The small features, each a pure decision with its table: the closing note, the config reload,
// the history sync, the delivery log and the ping.
#include <catch2/catch.hpp>

#include "support/fixed_ports.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "features/closing/closing.hpp"
#include "features/config_reload/config_reload.hpp"
#include "features/delivery_log/delivery_log.hpp"
#include "features/history_sync/history_sync.hpp"
#include "features/ping/ping.hpp"
#include "support/files.hpp"

using namespace mentorbot;
using history::Status;
namespace features = mentorbot::features;

namespace {

const features::Words& words() {
  static const features::Words w(&testing::source_templates(), "warm", {});
  return w;
}

github::PullRequestEvent closed(bool merged, bool bot, const std::string& closed_by) {
  auto v = json::parse(testing::fixture("pull_request/closed.json"));
  auto& pr = v.as_object()["pull_request"].as_object();
  pr["merged"] = merged;
  pr["user"].as_object()["login"] = bot ? "renovate[bot]" : "nina-dev";
  v.as_object()["sender"].as_object()["login"] = closed_by;
  return std::get<github::PullRequestEvent>(github::parse_event("d", "pull_request", json::serialize(v)).payload);
}

github::PushEvent push(const std::string& ref, std::vector<std::string> paths, bool all_listed = true,
                       bool deleted = false, const std::string& clone_url = "https://github.com/o/r.git") {
  github::PushEvent e;
  e.ref = ref;
  e.paths = std::move(paths);
  e.all_listed = all_listed;
  e.deleted = deleted;
  e.repository.full_name = "o/r";
  e.repository.default_branch = "main";
  e.repository.clone_url = clone_url;
  return e;
}

}  // namespace

TEST_CASE("closing: one kind note when a newcomer's pull request is closed unmerged", "[closing]") {
  struct Row {
    std::string what;
    bool merged, bot;
    Status status;
    std::string closed_by;
    bool noted;
    bool by_author;  // the words for someone who closed it themselves
  };
  std::vector<Row> table = {
      {"a first-timer's, closed by a maintainer", false, false, Status::first_timer, "mona", true, false},
      {"a first-time contributor's, closed by themselves", false, false, Status::first_time_contributor, "nina-dev",
       true, true},
      {"a newcomer's", false, false, Status::newcomer, "mona", true, false},
      {"a regular's", false, false, Status::regular, "mona", false, false},
      {"nobody could tell", false, false, Status::unknown, "mona", false, false},
      {"merged: that earns a coin instead", true, false, Status::first_timer, "mona", false, false},
      {"a bot's", false, true, Status::first_timer, "mona", false, false},
  };
  for (const auto& r : table) {
    INFO(r.what);
    auto e = closed(r.merged, r.bot, r.closed_by);
    auto note = features::closing::decide(e, {r.status, ""}, words());
    CHECK(note.has_value() == r.noted);
    if (!note) continue;
    CHECK(note->key == "closed:" + e.repository.full_name + "#" + std::to_string(e.pull_request.number));
    auto body = std::get<store::outbox::Comment>(note->change).body;
    CHECK_THAT(body, Catch::Contains("@nina-dev"));
    CHECK_THAT(body, Catch::Contains(e.repository.html_url + "/contribute"));
    auto data = features::pull_request_data(e.repository, e.pull_request, r.status);
    data.set("good_first_issues_url", e.repository.html_url + "/contribute");
    auto plain = words()("closed_unmerged", data);
    CHECK((body != plain) == r.by_author);  // the author who closed it hears other words
  }
  auto opened = closed(false, false, "mona");
  opened.action = "opened";
  CHECK_FALSE(features::closing::decide(opened, {Status::first_timer, ""}, words()));
}

TEST_CASE("config reload: a push to the default branch that touches the config", "[config]") {
  struct Row {
    std::string what;
    github::PushEvent push;
    bool reload;
  };
  std::vector<Row> table = {
      {"changes it on main", push("refs/heads/main", {"README.md", ".github/mentorbot.yml"}), true},
      {"changes other files", push("refs/heads/main", {"README.md", ".github/workflows/ci.yml"}), false},
      {"changes it on a branch", push("refs/heads/feature", {".github/mentorbot.yml"}), false},
      {"a tag", push("refs/tags/v1", {".github/mentorbot.yml"}), false},
      {"lists 20 commits: there may be more", push("refs/heads/main", {"README.md"}, false), true},
      {"lists nothing", push("refs/heads/main", {}), false},
  };
  for (auto& r : table) {
    INFO(r.what);
    CHECK(features::config_reload::touches_config(r.push) == r.reload);
    testing::Handling h;
    features::config_reload::handle(r.push, h.context);
    CHECK(h.sources.forgotten == (r.reload ? std::vector<std::string>{"o/r"} : std::vector<std::string>{}));
  }
}

TEST_CASE("history sync: the mirror follows the default branch only", "[history]") {
  struct Row {
    std::string what;
    github::PushEvent push;
    bool follows;
  };
  std::vector<Row> table = {
      {"main moved", push("refs/heads/main", {}), true},
      {"another branch", push("refs/heads/feature", {}), false},
      {"main deleted", push("refs/heads/main", {}, true, true), false},
      {"no clone URL", push("refs/heads/main", {}, true, false, ""), false},
  };
  for (auto& r : table) {
    INFO(r.what);
    CHECK(features::history_sync::moves_default_branch(r.push) == r.follows);
    testing::Handling h;
    features::history_sync::handle(r.push, h.context);
    CHECK(h.sources.branches_moved == (r.follows ? 1 : 0));
  }
}

TEST_CASE("delivery log: who did what where, one line per delivery", "[log]") {
  struct Row {
    std::string event, fixture, line;
  };
  std::vector<Row> table = {
      {"pull_request", "pull_request/opened.json",
       "pull_request.opened Codertocat/Hello-World#2 by Codertocat [OWNER]"},
      {"issue_comment", "issue_comment/created.json", "issue_comment.created Codertocat/Hello-World#1 by Codertocat"},
      {"installation", "installation/created.json", "installation.created Codertocat by Codertocat"},
      {"push", "push/push.json", "push Codertocat/Hello-World by Codertocat"},
  };
  for (const auto& r : table) {
    INFO(r.fixture);
    CHECK(features::delivery_log::describe(github::parse_event("d", r.event, testing::fixture(r.fixture))) == r.line);
  }
  auto v = json::parse(testing::fixture("pull_request/opened.json"));
  v.as_object()["sender"].as_object()["login"] = "mona";
  CHECK(features::delivery_log::describe(github::parse_event("d", "pull_request", json::serialize(v))) ==
        "pull_request.opened Codertocat/Hello-World#2 by mona (author Codertocat) [OWNER]");
}

TEST_CASE("ping: what GitHub's hello says", "[ping]") {
  auto e = std::get<github::PingEvent>(
      github::parse_event("d", "ping", testing::fixture("ping/ping.with-app_id.json")).payload);
  auto line = features::ping::describe(e);
  CHECK_THAT(line, Catch::Contains(" of App "));
  CHECK_THAT(line, Catch::EndsWith("\"" + e.zen + "\""));
  CHECK(features::ping::describe({}) == "unknown hook ? says \"\"");
}
