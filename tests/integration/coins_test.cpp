// Challenge coins and the sprint screen, through the real server and the fake GitHub: one coin
// per merged pull request whatever the redeliveries and restarts, mentor coins, /coin from a
// maintainer and from anyone else, sprints through the admin API and the CLI, the CSV of a
// sprint's window, the live events and the badges.
#include <catch2/catch.hpp>

#include <future>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "core/clock.hpp"
#include "core/time.hpp"
#include "support/files.hpp"
#include "support/world.hpp"

using namespace testing;
namespace json = boost::json;

namespace {

const std::string repo = world_repo;
const std::string admin = "sprint-admin-token-0123456789";

std::string now_plus(std::chrono::seconds d) {
  return mentorbot::format_iso8601(mentorbot::unix_ms() + std::chrono::duration_cast<std::chrono::milliseconds>(d).count());
}

// Pull request `number` by `login`, closed: merged at `merged_at` or not merged.
std::string closed_pr(World& w, int number, const std::string& login, bool merged,
                      const std::string& merged_at = now_plus(std::chrono::seconds(0)),
                      const std::string& in_repo = repo) {
  auto v = json::parse(w.pr_event("closed", number, w.head));
  auto& pr = v.as_object()["pull_request"].as_object();
  pr["merged"] = merged;
  pr["merged_at"] = merged ? json::value(merged_at) : json::value(nullptr);
  pr["state"] = "closed";
  pr["user"].as_object()["login"] = login;
  pr["user"].as_object()["avatar_url"] = "https://avatars.githubusercontent.com/u/1?v=4";
  pr["title"] = "Explain the install steps";
  if (in_repo != repo) {
    auto& r = v.as_object()["repository"].as_object();
    r["full_name"] = in_repo;
    r["name"] = in_repo.substr(in_repo.find('/') + 1);
  }
  return json::serialize(v);
}

std::string approval(World& w, int number, const std::string& reviewer, const std::string& association) {
  auto v = json::parse(fixture("pull_request_review/submitted.json"));
  auto& review = v.as_object()["review"].as_object();
  review["state"] = "approved";
  review["author_association"] = association;
  review["user"].as_object()["login"] = reviewer;
  auto& pr = v.as_object()["pull_request"].as_object();
  pr["number"] = number;
  v.as_object()["repository"].as_object()["clone_url"] = w.git.url();
  return json::serialize(v);
}

std::string coin_comment(int number, const std::string& author, const std::string& association, const std::string& body,
                         std::int64_t comment_id) {
  auto v = json::parse(fixture("issue_comment/created.json"));
  auto& c = v.as_object()["comment"].as_object();
  c["body"] = body;
  c["author_association"] = association;
  c["id"] = comment_id;
  c["user"].as_object()["login"] = author;
  v.as_object()["issue"].as_object()["number"] = number;
  return json::serialize(v);
}

json::value board(RunningBot& bot, const std::string& query = "") {
  auto r = http_get(bot.port(), "/api/leaderboard" + query);
  REQUIRE(r.status == 200);
  return json::parse(r.body);
}

const json::object* entry(const json::value& board, const std::string& login) {
  for (const auto& e : board.at("entries").as_array()) {
    if (e.at("login").as_string() == login) return &e.as_object();
  }
  return nullptr;
}

std::int64_t coins_of(RunningBot& bot, const std::string& login, const std::string& query = "") {
  auto b = board(bot, query);
  auto e = entry(b, login);
  return e ? e->at("coins").as_int64() : 0;
}

HttpResult admin_post(RunningBot& bot, const std::string& body, const std::string& token = admin) {
  return http_request(bot.port(), "POST", "/api/sprints",
                      {{"Authorization", "Bearer " + token}, {"Content-Type", "application/json"}}, body);
}

std::size_t count_containing(const std::vector<Comment>& comments, const std::string& text) {
  std::size_t n = 0;
  for (const auto& c : comments) n += c.body.find(text) != std::string::npos;
  return n;
}

}  // namespace

TEST_CASE("a merged pull request earns one coin, whatever the redeliveries and restarts", "[coins][both]") {
  World w;
  RunningBot bot(w.env(test_app_key().private_pkcs1, {{"MENTORBOT_PUBLIC_URL", "https://coins.example.org"}}));
  REQUIRE(bot.send("pull_request", "open-2", w.first_timer_pr(2)).status == 202);
  REQUIRE(bot.wait_until_idle());

  // The same merge twice: redelivered under a new delivery id.
  auto merged = closed_pr(w, 2, "Codertocat", true);
  REQUIRE(bot.send("pull_request", "merge-2", merged).status == 202);
  REQUIRE(bot.send("pull_request", "merge-2-again", merged).status == 202);
  REQUIRE(bot.wait_until_idle());
  CHECK(coins_of(bot, "Codertocat") == 1);
  auto after_merge = board(bot);
  auto first = entry(after_merge, "Codertocat");
  REQUIRE(first);
  CHECK(first->at("merged_prs").as_int64() == 1);
  CHECK(first->at("newcomer").as_bool());
  REQUIRE(eventually([&] { return count_containing(w.github.comments(repo, 2), "first merged pull request") == 1; }));
  auto celebration = w.github.comments(repo, 2);
  CHECK(count_containing(celebration, "](https://coins.example.org/badges/Codertocat.svg)") == 1);

  // A second pull request: a second coin, and the shorter thank-you with the count.
  REQUIRE(bot.send("pull_request", "merge-10", closed_pr(w, 10, "Codertocat", true)).status == 202);
  // Closed without a merge: no coin.
  REQUIRE(bot.send("pull_request", "close-11", closed_pr(w, 11, "Codertocat", false)).status == 202);
  REQUIRE(bot.wait_until_idle());
  CHECK(coins_of(bot, "Codertocat") == 2);
  REQUIRE(eventually([&] { return count_containing(w.github.comments(repo, 10), "That makes 2 challenge coins") == 1; }));
  CHECK(count_containing(w.github.comments(repo, 11), "coin") == 0);

  // A hard stop and a restart, then the first merge delivered once more.
  bot.process().kill9();
  bot.start();
  REQUIRE(bot.send("pull_request", "merge-2-after-restart", merged).status == 202);
  REQUIRE(bot.wait_until_idle());
  CHECK(coins_of(bot, "Codertocat") == 2);
  CHECK(bot.outbox_on(repo, 2) == std::vector<std::string>{"welcome:Codertocat/Hello-World#2 sent",
                                                           "label:Codertocat/Hello-World#2:first-time sent",
                                                           "coin:Codertocat/Hello-World#2 sent"});
  CHECK(bot.outbox_on(repo, 10) == std::vector<std::string>{"coin:Codertocat/Hello-World#10 sent"});
  CHECK(count_containing(w.github.comments(repo, 2), "first merged pull request") == 1);
  CHECK(count_containing(w.github.comments(repo, 10), "challenge coin") == 1);
}

TEST_CASE("the maintainers who approved a newcomer's merged pull request get a mentor coin", "[coins]") {
  World w;
  RunningBot bot(w.env());
  REQUIRE(bot.send("pull_request", "open-2", w.first_timer_pr(2)).status == 202);
  REQUIRE(bot.send("pull_request_review", "review-2", approval(w, 2, "mona", "MEMBER")).status == 202);
  REQUIRE(bot.send("pull_request", "merge-2", closed_pr(w, 2, "Codertocat", true)).status == 202);
  REQUIRE(bot.wait_until_idle());
  auto b = board(bot);
  auto mona = entry(b, "mona");
  REQUIRE(mona);
  CHECK(mona->at("coins").as_int64() == 1);
  CHECK(mona->at("merged_prs").as_int64() == 0);
  REQUIRE(eventually([&] { return count_containing(w.github.comments(repo, 2), "Thank you for the review, @mona: every reviewer") == 1; }));
}

TEST_CASE("/coin from a maintainer awards a coin — from anyone else, a polite no and nothing", "[coins]") {
  World w;
  RunningBot bot(w.env());
  auto from_owner = coin_comment(1, "Codertocat", "OWNER", "/coin @nina-dev for triaging the open issues", 9001);
  REQUIRE(bot.send("issue_comment", "coin-1", from_owner).status == 202);
  REQUIRE(bot.send("issue_comment", "coin-1-again", from_owner).status == 202);
  auto from_visitor = coin_comment(1, "visitor", "CONTRIBUTOR", "/coin @visitor for being here", 9002);
  REQUIRE(bot.send("issue_comment", "coin-2", from_visitor).status == 202);
  auto unreadable = coin_comment(1, "Codertocat", "OWNER", "/coin nina-dev", 9003);
  REQUIRE(bot.send("issue_comment", "coin-3", unreadable).status == 202);
  REQUIRE(bot.wait_until_idle());

  CHECK(coins_of(bot, "nina-dev") == 1);
  CHECK(coins_of(bot, "visitor") == 0);
  bool three = eventually([&] { return w.github.comments(repo, 1).size() == 3; });
  auto replies = w.github.comments(repo, 1);
  INFO(replies.size() << " replies; the end of the bot's log:\n" << bot.log().substr(bot.log().size() > 6000 ? bot.log().size() - 6000 : 0));
  REQUIRE(three);
  CHECK(count_containing(replies, "@Codertocat gives @nina-dev a challenge coin for triaging the open issues") == 1);
  CHECK(count_containing(replies, "handed out by its maintainers, so no coin was awarded") == 1);
  CHECK(count_containing(replies, "I could not read that coin command") == 1);
}

TEST_CASE("sprints: the admin API and the CLI — the CSV lists the awards of the sprint window only", "[coins][sprints]") {
  World w;
  RunningBot bot(w.env(test_app_key().private_pkcs1, {{"MENTORBOT_ADMIN_TOKEN", admin}}));
  std::string sprint = R"({"name":"Lisbon <Sprint> 2026","slug":"lisbon","starts_at":")" +
                       now_plus(-std::chrono::hours(1)) + R"(","ends_at":")" + now_plus(std::chrono::hours(1)) +
                       R"(","repos":["Codertocat/Hello-World"]})";
  CHECK(http_request(bot.port(), "POST", "/api/sprints", {{"Content-Type", "application/json"}}, sprint).status == 401);
  CHECK(admin_post(bot, sprint, "wrong-token-0123456789").status == 401);
  auto created = admin_post(bot, sprint);
  REQUIRE(created.status == 201);
  CHECK(json::parse(created.body).at("name").as_string() == "Lisbon <Sprint> 2026");
  CHECK(admin_post(bot, sprint).status == 409);
  auto bad = admin_post(bot, R"({"name":"x","starts_at":"tomorrow","ends_at":"2026-01-01T00:00:00Z","repos":["a/b"]})");
  CHECK(bad.status == 400);
  CHECK_THAT(bad.body, Catch::Contains("starts_at must be an ISO 8601 time"));

  // Inside the window; two days before it; in a repository the sprint does not cover.
  REQUIRE(bot.send("pull_request", "in", closed_pr(w, 10, "nina-dev", true)).status == 202);
  REQUIRE(bot.send("pull_request", "before", closed_pr(w, 11, "old-timer", true, now_plus(-std::chrono::hours(48)))).status == 202);
  REQUIRE(bot.send("pull_request", "elsewhere",
                   closed_pr(w, 12, "wanderer", true, now_plus(std::chrono::seconds(0)), "Codertocat/Other")).status == 202);
  REQUIRE(bot.wait_until_idle());

  auto csv = http_request(bot.port(), "GET", "/api/sprints/lisbon/coins.csv", {{"Authorization", "Bearer " + admin}});
  REQUIRE(csv.status == 200);
  CHECK(csv.headers["content-type"] == "text/csv; charset=utf-8");
  CHECK_THAT(csv.body, Catch::StartsWith("awarded_at,login,kind,repo,number,title,reason,newcomer,first_merged_pr,awarded_by\r\n"));
  CHECK_THAT(csv.body, Catch::Contains(",nina-dev,merge,Codertocat/Hello-World,10,Explain the install steps,"));
  CHECK(csv.body.find("old-timer") == std::string::npos);
  CHECK(csv.body.find("wanderer") == std::string::npos);

  auto in_sprint = board(bot, "?sprint=lisbon");
  CHECK(in_sprint.at("sprint").at("slug").as_string() == "lisbon");
  CHECK(in_sprint.at("entries").as_array().size() == 1);
  auto all_time = board(bot);  // the sprint runs now, so the default board is the sprint's
  CHECK(all_time.at("entries").as_array().size() == 1);
  CHECK(http_get(bot.port(), "/api/leaderboard?sprint=nowhere").status == 404);
  CHECK(http_get(bot.port(), "/sprints/lisbon").status == 200);
  CHECK(http_get(bot.port(), "/sprints/nowhere").status == 404);

  // The CLI reads the same database.
  auto list = run_mentorbot({"sprint", "list"}, bot.env());
  CHECK(list.exit_code == 0);
  CHECK_THAT(list.out, Catch::Contains("lisbon  Lisbon <Sprint> 2026"));
  CHECK_THAT(list.out, Catch::Contains("(running)"));
  auto exported = run_mentorbot({"sprint", "export", "lisbon"}, bot.env());
  CHECK(exported.exit_code == 0);
  CHECK(exported.out == csv.body);
  auto made = run_mentorbot({"sprint", "create", "--name", "Porto sprint", "--start", now_plus(std::chrono::hours(24)),
                             "--end", now_plus(std::chrono::hours(30)), "--org", "Codertocat"},
                            bot.env());
  INFO(made.err);
  CHECK(made.exit_code == 0);
  CHECK_THAT(made.out, Catch::Contains("sprint porto-sprint created"));
  auto refused = run_mentorbot({"sprint", "create", "--name", "No scope", "--start", now_plus(std::chrono::hours(0)),
                                "--end", now_plus(std::chrono::hours(1))},
                               bot.env());
  CHECK(refused.exit_code == 2);
  CHECK_THAT(refused.err, Catch::Contains("a sprint needs repos"));
  auto listed = http_request(bot.port(), "GET", "/api/sprints", {{"Authorization", "Bearer " + admin}});
  CHECK_THAT(listed.body, Catch::Contains("\"slug\":\"porto-sprint\""));
}

TEST_CASE("the admin API is off without MENTORBOT_ADMIN_TOKEN", "[coins][sprints]") {
  World w;
  RunningBot bot(w.env());
  auto r = admin_post(bot, "{}");
  CHECK(r.status == 403);
  CHECK_THAT(r.body, Catch::Contains("set MENTORBOT_ADMIN_TOKEN"));
}

TEST_CASE("live events: every viewer hears each coin once, and a reconnecting one catches up", "[coins][sse][both]") {
  World w;
  RunningBot bot(w.env());
  auto listen = [&](const std::string& extra_header) {
    return std::async(std::launch::async, [&bot, extra_header] {
      return raw_exchange(bot.port(), "GET /api/events HTTP/1.1\r\nHost: test\r\n" + extra_header + "\r\n",
                          std::chrono::milliseconds(2500));
    });
  };
  auto first = listen("");
  auto second = listen("");
  REQUIRE(eventually([&] { return bot.metric("mentorbot_event_viewers") == 2; }));
  REQUIRE(bot.send("pull_request", "merge-10", closed_pr(w, 10, "nina-dev", true)).status == 202);
  REQUIRE(bot.send("pull_request", "merge-10-again", closed_pr(w, 10, "nina-dev", true)).status == 202);
  for (auto* viewer : {&first, &second}) {
    auto got = viewer->get();
    INFO(got);
    CHECK_THAT(got, Catch::StartsWith("HTTP/1.1 200 OK\r\n"));
    CHECK_THAT(got, Catch::Contains("Content-Type: text/event-stream"));
    CHECK_THAT(got, Catch::Contains("retry: 2000"));
    CHECK_THAT(got, Catch::Contains("event: coin\ndata: {\"id\":"));
    CHECK_THAT(got, Catch::Contains("\"login\":\"nina-dev\""));
    auto once = got.find("\"login\":\"nina-dev\"");
    CHECK(got.find("\"login\":\"nina-dev\"", once + 1) == std::string::npos);
  }
  // Back after a lost connection: what came after its last event id, and nothing before.
  REQUIRE(bot.send("pull_request", "merge-11", closed_pr(w, 11, "omar-dev", true)).status == 202);
  REQUIRE(bot.wait_until_idle());
  auto all = listen("Last-Event-ID: 0\r\n").get();
  auto nina = all.find("\"login\":\"nina-dev\"");
  REQUIRE(nina != std::string::npos);
  auto id_at = all.rfind("id: ", nina);
  REQUIRE(id_at != std::string::npos);
  auto nina_id = all.substr(id_at + 4, all.find('\n', id_at) - id_at - 4);
  auto after = listen("Last-Event-ID: " + nina_id + "\r\n").get();
  CHECK_THAT(after, Catch::Contains("\"login\":\"omar-dev\""));
  CHECK(after.find("\"login\":\"nina-dev\"") == std::string::npos);
  // An id this server never sent (not a plain non-negative integer) starts from now: "1e9" is
  // not 1, and "-1" is not "everything".
  for (const char* odd : {"1e9", "-1", "+1", "0x1", "99999999999999999999", "1.5", "1 2"}) {
    INFO(odd);
    auto got = listen(std::string("Last-Event-ID: ") + odd + "\r\n").get();
    CHECK_THAT(got, Catch::StartsWith("HTTP/1.1 200 OK\r\n"));
    CHECK(got.find("event: coin") == std::string::npos);
  }
}

// Issue 12: the count of viewers (it holds the cap of 5,000) drops as soon as they leave.
TEST_CASE("viewers of the live events that leave are no longer counted", "[coins][sse]") {
  World w;
  RunningBot bot(w.env());
  std::vector<std::future<std::string>> viewers;
  for (int i = 0; i < 40; ++i) {
    viewers.push_back(std::async(std::launch::async, [&bot] {
      return raw_exchange(bot.port(), "GET /api/events HTTP/1.1\r\nHost: test\r\n\r\n", std::chrono::milliseconds(1500));
    }));
  }
  REQUIRE(eventually([&] { return bot.metric("mentorbot_event_viewers") == 40; }));
  for (auto& v : viewers) v.get();  // each has hung up
  auto gone = std::chrono::steady_clock::now();
  CHECK(eventually([&] { return bot.metric("mentorbot_event_viewers") == 0; }, std::chrono::seconds(10)));
  CHECK(std::chrono::steady_clock::now() - gone < std::chrono::seconds(2));  // not at the next heartbeat (15 s)
}

TEST_CASE("badges: a coin with the count, cacheable, only for what can be a login", "[coins][badges]") {
  World w;
  RunningBot bot(w.env());
  REQUIRE(bot.send("pull_request", "merge-10", closed_pr(w, 10, "nina-dev", true)).status == 202);
  REQUIRE(bot.wait_until_idle());
  auto badge = http_get(bot.port(), "/badges/nina-dev.svg");
  REQUIRE(badge.status == 200);
  CHECK(badge.headers["content-type"] == "image/svg+xml");
  CHECK_THAT(badge.body, Catch::StartsWith("<svg xmlns=\"http://www.w3.org/2000/svg\""));
  CHECK_THAT(badge.body, Catch::Contains(">1</text>"));
  auto etag = badge.headers["etag"];
  REQUIRE_FALSE(etag.empty());
  CHECK(http_request(bot.port(), "GET", "/badges/nina-dev.svg", {{"If-None-Match", etag}}).status == 304);
  auto hostile = http_get(bot.port(), "/badges/%3Cscript%3Ealert(1)%3C%2Fscript%3E%22.svg");
  CHECK(hostile.status == 404);  // no login looks like that
  CHECK(hostile.body.find("<script") == std::string::npos);
  CHECK(http_get(bot.port(), "/badges/nina-dev.png").status == 404);
}

TEST_CASE("two first pull requests of one person merged at the same moment: one celebration, then the count", "[coins][both]") {
  World w;
  RunningBot bot(w.env(test_app_key().private_pkcs1, {{"MENTORBOT_WORKERS", "4"}}));
  auto a = std::async(std::launch::async, [&] { return bot.send("pull_request", "merge-10", closed_pr(w, 10, "nina-dev", true)).status; });
  auto b = std::async(std::launch::async, [&] { return bot.send("pull_request", "merge-11", closed_pr(w, 11, "nina-dev", true)).status; });
  REQUIRE(a.get() == 202);
  REQUIRE(b.get() == 202);
  REQUIRE(bot.wait_until_idle());
  CHECK(coins_of(bot, "nina-dev") == 2);
  REQUIRE(eventually([&] { return w.github.comments(repo, 10).size() + w.github.comments(repo, 11).size() == 2; }));
  auto both = w.github.comments(repo, 10);
  for (auto& c : w.github.comments(repo, 11)) both.push_back(c);
  CHECK(count_containing(both, "first merged pull request") == 1);
  CHECK(count_containing(both, "That makes 2 challenge coins") == 1);
  CHECK(board(bot).at("retention").at("first_timers").as_int64() == 1);
}

TEST_CASE("SIGTERM with viewers connected: their streams end and the bot exits at once", "[coins][sse]") {
  World w;
  RunningBot bot(w.env());
  std::vector<std::future<std::string>> viewers;
  for (int i = 0; i < 5; ++i) {
    viewers.push_back(std::async(std::launch::async, [&bot] {
      return raw_exchange(bot.port(), "GET /api/events HTTP/1.1\r\nHost: test\r\n\r\n", std::chrono::seconds(10));
    }));
  }
  REQUIRE(eventually([&] { return bot.metric("mentorbot_event_viewers") == 5; }));
  auto started = std::chrono::steady_clock::now();
  CHECK(bot.process().terminate() == 0);
  CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(3));
  for (auto& v : viewers) CHECK_THAT(v.get(), Catch::StartsWith("HTTP/1.1 200 OK"));  // each was streaming
}

TEST_CASE("the board and the badges refuse what they cannot read, and stay valid for what they can", "[coins][badges]") {
  World w;
  RunningBot bot(w.env());
  CHECK(http_get(bot.port(), "/api/leaderboard?sprint=%zz").status == 400);
  // What cannot be a GitHub login has no badge (README): 404.
  for (const std::string& odd : std::vector<std::string>{"%FF%FEnina", "..%2F..%2Fetc", "nina%00", std::string(100, 'a'),
                                                        "-nina", "nina%20dev", "%3Cb%3E", ""}) {
    INFO(odd);
    CHECK(http_get(bot.port(), "/badges/" + odd + ".svg").status == 404);
  }
  CHECK(http_get(bot.port(), "/badges/nina-dev.svg").status == 200);
  CHECK(http_get(bot.port(), "/badges/" + std::string(39, 'a') + ".svg").status == 200);
  CHECK(http_request(bot.port(), "HEAD", "/api/events").status == 200);
  CHECK(http_request(bot.port(), "POST", "/api/leaderboard").status == 405);
}

TEST_CASE("a first merge suggests open good first issues, never an assigned one or the author's own",
          "[coins][pipeline]") {
  World w;
  RunningBot bot(w.env());
  auto issue = [&](int n, const std::string& title, const std::string& by, bool assigned, const char* label) {
    json::array assignees;
    if (assigned) assignees.push_back(json::object{{"login", "mona"}});
    json::array labels;
    if (label) labels.push_back(json::object{{"name", label}});
    return json::object{{"number", n},       {"title", title},
                        {"state", "open"},   {"user", json::object{{"login", by}}},
                        {"labels", labels},  {"assignees", assignees},
                        {"html_url", "https://github.com/" + repo + "/issues/" + std::to_string(n)}};
  };
  w.github.set_issues(repo, json::array{issue(20, "Add a dark mode", "mona", false, "good first issue"),
                                        issue(21, "Taken already", "mona", true, "good first issue"),
                                        issue(22, "Codertocat's own idea", "Codertocat", false, "good first issue"),
                                        issue(23, "Not for beginners", "mona", false, "refactor")});
  REQUIRE(bot.send("pull_request", "open-2", w.first_timer_pr(2)).status == 202);
  REQUIRE(bot.wait_until_idle());
  REQUIRE(bot.send("pull_request", "merge-2", closed_pr(w, 2, "Codertocat", true)).status == 202);
  REQUIRE(bot.wait_until_idle());
  REQUIRE(eventually([&] { return count_containing(w.github.comments(repo, 2), "first merged pull request") == 1; }));
  auto comments = w.github.comments(repo, 2);
  CHECK(count_containing(comments, "- [Add a dark mode](https://github.com/" + repo + "/issues/20)") == 1);
  CHECK(count_containing(comments, "Taken already") == 0);
  CHECK(count_containing(comments, "own idea") == 0);
  CHECK(count_containing(comments, "Not for beginners") == 0);
  auto made = w.github.requests();
  CHECK(std::count_if(made.begin(), made.end(), [](const std::string& r) { return r.starts_with("GET /search/issues"); }) >= 1);
}
