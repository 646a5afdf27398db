// The pipeline through the real server and the fake GitHub: whose turn it is on a newcomer's
// pull request, as the webhooks tell it.
#include <catch2/catch.hpp>

#include <chrono>
#include <thread>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "core/clock.hpp"
#include "core/time.hpp"
#include "store/pipeline.hpp"
#include "support/bot_process.hpp"
#include "support/files.hpp"
#include "support/http_client.hpp"
#include "support/world.hpp"

using namespace testing;
namespace json = boost::json;

namespace {

// A comment on the conversation of pull request #2.
std::string pr_comment(const std::string& login, const std::string& type, const std::string& association,
                       const std::string& created_at) {
  auto v = json::parse(fixture("issue_comment/created.json"));
  auto& issue = v.as_object()["issue"].as_object();
  issue["number"] = 2;
  issue["pull_request"] = json::object{{"url", "https://api.github.com/repos/" + world_repo + "/pulls/2"}};
  auto& c = v.as_object()["comment"].as_object();
  c["user"].as_object()["login"] = login;
  c["user"].as_object()["type"] = type;
  c["author_association"] = association;
  c["created_at"] = created_at;
  c["body"] = "Thanks!";
  return json::serialize(v);
}

std::optional<mentorbot::store::pipeline::Entry> row_of(const RunningBot& bot, std::int64_t number) {
  auto store = bot.open_store();
  return store->read([&](mentorbot::store::Db& db) { return mentorbot::store::pipeline::find(db, world_repo, number); });
}

}  // namespace

TEST_CASE("a newcomer's pull request answered only by a bot is still waiting for a first human response",
          "[pipeline][both]") {
  World w;
  RunningBot bot(w.env());
  REQUIRE(bot.send("pull_request", "open-2", w.first_timer_pr()).status == 202);
  REQUIRE(bot.send("issue_comment", "bot-said", pr_comment("ci-helper[bot]", "Bot", "NONE", "2026-12-01T10:00:00Z"))
              .status == 202);
  REQUIRE(bot.send("issue_comment", "author-said", pr_comment("Codertocat", "User", "FIRST_TIME_CONTRIBUTOR",
                                                              "2026-12-01T11:00:00Z"))
              .status == 202);
  REQUIRE(bot.wait_until_idle());
  auto row = row_of(bot, 2);
  REQUIRE(row);
  CHECK(row->newcomer);
  CHECK(row->author == "Codertocat");
  CHECK(row->turn == "first_response");
  CHECK_FALSE(row->first_response_at);

  // A maintainer's question: answered, and the author's turn.
  REQUIRE(bot.send("issue_comment", "maintainer-said", pr_comment("omar", "User", "MEMBER", "2026-12-02T09:30:00Z"))
              .status == 202);
  REQUIRE(bot.wait_until_idle());
  row = row_of(bot, 2);
  REQUIRE(row);
  CHECK(row->turn == "author");
  CHECK(row->first_response_at == 1'796'203'800'000);  // 2026-12-02T09:30:00Z
  CHECK(row->turn_since == 1'796'203'800'000);
  // The same delivery again changes nothing; a regular's pull request has a row too, not a newcomer's.
  REQUIRE(bot.send("issue_comment", "maintainer-said", pr_comment("omar", "User", "MEMBER", "2026-12-02T09:30:00Z"))
              .status == 200);
  REQUIRE(bot.send("pull_request", "owner-1", fixture("pull_request/opened.collaborator.json")).status == 202);
  REQUIRE(bot.wait_until_idle());
  auto store = bot.open_store();
  auto regular = store->read([](mentorbot::store::Db& db) {
    return mentorbot::store::pipeline::find(db, "facio-ergo-sum/test-repo-create-issue-branch-staging-app", 53);
  });
  REQUIRE(regular);
  CHECK_FALSE(regular->newcomer);
  CHECK(regular->turn == "first_response");
}

TEST_CASE("the numbers: /api/pipeline, its CSV, the page and mentorbot report agree", "[pipeline][both]") {
  World w;
  RunningBot bot(w.env());
  REQUIRE(bot.send("pull_request", "open-2", w.first_timer_pr()).status == 202);
  REQUIRE(bot.send("pull_request", "owner-1", fixture("pull_request/opened.collaborator.json")).status == 202);
  REQUIRE(bot.wait_until_idle());
  // The fixtures' pull requests were opened in 2019: a window that holds them.
  auto path = "/api/pipeline?since=2019-01-01&repo=" + world_repo;
  auto before = http_get(bot.port(), path);
  REQUIRE(before.status == 200);
  CHECK(before.headers["content-type"] == "application/json");
  auto v = json::parse(before.body);
  CHECK(json::serialize(v.at("stages")) == R"({"opened":1,"responded":0,"merged":0,"returned":0})");
  REQUIRE(v.at("waiting").as_array().size() == 1);
  CHECK(v.at("waiting").at(0).at("number") == 2);
  CHECK(v.at("waiting").at(0).at("author") == "Codertocat");
  CHECK(v.at("time_to_first_response").at("median_s").is_null());
  CHECK(bot.metric("mentorbot_pipeline_waiting") == 1);  // the last 90 days: the fixtures' 2019 is not in it

  // A maintainer answers: responded, nobody waiting.
  REQUIRE(bot.send("issue_comment", "maintainer-said", pr_comment("omar", "User", "MEMBER", "2026-12-02T09:30:00Z"))
              .status == 202);
  REQUIRE(bot.wait_until_idle());
  v = json::parse(http_get(bot.port(), path).body);
  CHECK(v.at("stages").at("responded") == 1);
  CHECK(v.at("waiting").as_array().empty());
  CHECK(v.at("time_to_first_response").at("responded") == 1);
  CHECK(bot.metric("mentorbot_pipeline_waiting") == 0);
  // Every repository: the collaborator's pull request is there, as a regular's.
  auto all = json::parse(http_get(bot.port(), "/api/pipeline?since=2019-01-01").body);
  CHECK(all.at("regulars_time_to_first_response").at("responded") == 0);
  CHECK(all.at("stages").at("opened") == 1);

  auto csv = http_get(bot.port(), "/api/pipeline.csv?since=2019-01-01&repo=" + world_repo);
  REQUIRE(csv.status == 200);
  CHECK_THAT(csv.body, Catch::Contains("," + std::string("Codertocat,yes,")));
  auto page = http_get(bot.port(), "/pipeline?since=2019-01-01&repo=" + world_repo);
  REQUIRE(page.status == 200);
  CHECK_THAT(page.headers["content-security-policy"], Catch::Contains("script-src 'self'"));
  CHECK_THAT(page.body, Catch::Contains("<td id=\"stage-responded\">1</td>"));
  CHECK(http_get(bot.port(), "/pipeline.css").status == 404);
  CHECK(http_get(bot.port(), "/assets/pipeline.css").status == 200);

  // Bad questions get a one-line 400; an unknown sprint a 404.
  auto bad = http_get(bot.port(), "/api/pipeline?repo=a/b&org=y");
  CHECK(bad.status == 400);
  CHECK_THAT(bad.body, Catch::Contains("one of repo, org and sprint"));
  CHECK(http_get(bot.port(), "/api/pipeline?since=tomorrow").status == 400);
  CHECK(http_get(bot.port(), "/api/pipeline?sprint=nope").status == 404);

  auto report = run_mentorbot({"report", "--repo", world_repo, "--since", "2019-01-01"}, bot.env());
  CHECK(report.exit_code == 0);
  CHECK_THAT(report.out, Catch::Contains("| Opened a first pull request | 1 | 100 % |"));
  CHECK_THAT(report.out, Catch::Contains("| Got a first human response | 1 | 100 % |"));
  CHECK_THAT(report.out, Catch::Contains("No newcomer's pull request is waiting for a first response."));
  auto wrong = run_mentorbot({"report", "--repo", "a/b", "--org", "y"}, bot.env());
  CHECK(wrong.exit_code == 2);
  CHECK_THAT(wrong.err, Catch::Contains("one of repo, org and sprint"));
}

TEST_CASE("the author's turn for two weeks: one kind note, never a second", "[pipeline]") {
  World w;
  RunningBot bot(w.env(test_app_key().private_pkcs1, {{"MENTORBOT_NUDGE_INTERVAL_MS", "1000"}}));
  REQUIRE(bot.send("pull_request", "open-2", w.first_timer_pr()).status == 202);
  // A maintainer asked something twenty days ago, and the author has not answered since.
  auto asked = mentorbot::format_iso8601(mentorbot::unix_ms() - 20LL * 24 * 3600 * 1000);
  REQUIRE(bot.send("issue_comment", "maintainer-asked", pr_comment("omar", "User", "MEMBER", asked)).status == 202);
  REQUIRE(bot.wait_until_idle());
  auto notes = [&] {
    std::size_t n = 0;
    for (const auto& c : w.github.comments(world_repo, 2)) n += c.body.find("no rush") != std::string::npos;
    return n;
  };
  REQUIRE(eventually([&] { return notes() == 1; }));
  auto row = row_of(bot, 2);
  REQUIRE(row);
  CHECK(row->author_nudged_at);
  // Three more sweeps: still one.
  std::this_thread::sleep_for(std::chrono::milliseconds(3500));
  REQUIRE(bot.wait_until_idle());
  CHECK(notes() == 1);
  CHECK_THAT(bot.outbox_on(world_repo, 2), Catch::VectorContains(std::string("author-nudge:" + world_repo + "#2 sent")));
}

TEST_CASE("backfill: a repository's past becomes the numbers, the same when run twice, and a stopped run goes on",
          "[pipeline][both]") {
  World w;
  w.add_past_pulls(world_repo, 130);  // two pages of GitHub's list
  // GitHub's secondary rate limit on the second page: waited out, not a failure.
  w.github.inject("GET", "/repos/" + world_repo + "/pulls", {Fault::Kind::secondary_rate_limit, 1, false, 1});
  RunningBot bot(w.env());
  auto first = run_mentorbot({"backfill", world_repo, "--installation", "1"}, bot.env());
  INFO(first.err);
  REQUIRE(first.exit_code == 0);
  CHECK_THAT(first.out, Catch::Contains("130 pull request(s) kept"));
  auto numbers = [&] {
    auto v = json::parse(http_get(bot.port(), "/api/pipeline?repo=" + world_repo).body);
    v.as_object().erase("until");
    v.as_object().erase("since");
    for (auto& item : v.as_object()["waiting"].as_array()) item.as_object().erase("waiting_s");
    return json::serialize(v);
  };
  auto csv = [&] { return http_get(bot.port(), "/api/pipeline.csv?repo=" + world_repo).body; };
  auto numbers_once = numbers();
  auto csv_once = csv();
  auto v = json::parse(numbers_once);
  CHECK(v.at("stages").at("opened").as_int64() == 27);  // newbie1 … newbie29 but 10 and 20 (maintainer turns)
  CHECK(v.at("stages").at("responded").as_int64() > 0);
  CHECK(v.at("time_to_first_response").at("responded").as_int64() > 0);
  CHECK(v.at("acceptance").at("merged").as_int64() > 0);

  auto again = run_mentorbot({"backfill", world_repo, "--installation", "1"}, bot.env());
  REQUIRE(again.exit_code == 0);
  CHECK(numbers() == numbers_once);
  CHECK(csv() == csv_once);
  CHECK(std::count(csv_once.begin(), csv_once.end(), '\n') == 131);

  // A run that stops halfway (GitHub failing on one pull request's reviews) goes on the next time.
  const std::string other = "octo-org/resume";
  w.add_past_pulls(other, 20);
  w.github.inject("GET", "/repos/" + other + "/pulls/11/reviews", {Fault::Kind::bad_gateway, 3, false});
  auto stopped = run_mentorbot({"backfill", other, "--installation", "1"}, bot.env());
  CHECK(stopped.exit_code == 1);
  CHECK_THAT(stopped.err, Catch::Contains("run it again to go on from where it stopped"));
  auto resumed = run_mentorbot({"backfill", other, "--installation", "1"}, bot.env());
  INFO(resumed.err);
  REQUIRE(resumed.exit_code == 0);
  CHECK_THAT(resumed.out, Catch::Contains("done by the last run"));
  auto other_csv = http_get(bot.port(), "/api/pipeline.csv?repo=" + other).body;
  CHECK(std::count(other_csv.begin(), other_csv.end(), '\n') == 21);
}
