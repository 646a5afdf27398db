// Coins: who earns one when a pull request merges (and which words they read), the mentor
// coins, the /coin command, the board and its retention figure, the CSV, sprints from JSON,
// and the ledger that makes every award happen once.
#include <catch2/catch.hpp>

#include "support/fixed_ports.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "core/time.hpp"
#include "features/coins/coins.hpp"
#include "features/coins/leaderboard.hpp"
#include "store/coins.hpp"
#include "store/pull_requests.hpp"
#include "store/store.hpp"
#include "support/files.hpp"
#include "support/temp_dir.hpp"

using namespace mentorbot;
namespace coins = mentorbot::features::coins;
using store::coins::Award;
using store::coins::Sprint;

namespace {

github::Event merged_event(const std::string& association = "FIRST_TIME_CONTRIBUTOR", bool merged = true,
                           const std::string& login = "nina-dev", const std::string& type = "User") {
  auto v = json::parse(testing::fixture("pull_request/closed.merged.json"));
  auto& pr = v.as_object()["pull_request"].as_object();
  pr["merged"] = merged;
  pr["author_association"] = association;
  pr["merged_at"] = "2026-11-22T10:00:00Z";
  pr["user"].as_object()["login"] = login;
  pr["user"].as_object()["type"] = type;
  return github::parse_event("d", "pull_request", json::serialize(v));
}

std::optional<coins::MergePlan> merge(const github::Event& e, coins::MergeFacts facts = {}, RepoConfig config = {}) {
  auto pr = features::pull_request_of(e);
  REQUIRE(pr);
  return coins::decide_merge(e, *pr, facts, config);
}

github::Event comment(const std::string& body, const std::string& association, const std::string& type = "User") {
  auto v = json::parse(testing::fixture("issue_comment/created.json"));
  auto& c = v.as_object()["comment"].as_object();
  c["body"] = body;
  c["author_association"] = association;
  c["user"].as_object()["type"] = type;
  c["created_at"] = "2026-11-22T11:00:00Z";
  return github::parse_event("d", "issue_comment", json::serialize(v));
}

Award award(const std::string& login, const std::string& kind, std::int64_t at, bool first_timer = false,
            const std::string& repo = "octo/site", bool newcomer = false) {
  Award a;
  a.key = kind + ":" + repo + "#" + std::to_string(at) + ":" + login;
  a.kind = kind;
  a.login = login;
  a.repo = repo;
  a.number = at;
  a.awarded_at = at;
  a.first_timer = first_timer;
  a.newcomer = newcomer || first_timer;
  return a;
}

}  // namespace

TEST_CASE("coins: a merge earns its author one coin — the first one here gets the celebration", "[coins]") {
  auto plan = merge(merged_event());
  REQUIRE(plan);
  REQUIRE(plan->awards.size() == 1);
  const auto& coin = plan->awards[0];
  CHECK(coin.key == "merge:robvanderleek/create-issue-branch#" + std::to_string(coin.number));
  CHECK(coin.kind == "merge");
  CHECK(coin.login == "nina-dev");
  CHECK(coin.newcomer);
  CHECK(coin.first_timer);
  CHECK(coin.awarded_at == *parse_iso8601_ms("2026-11-22T10:00:00Z"));
  CHECK(plan->template_name == "coin_first");
  CHECK(plan->comment_key == "coin:robvanderleek/create-issue-branch#" + std::to_string(coin.number));

  SECTION("what the bot saw at the opening wins over the association at the merge") {
    coins::MergeFacts f;
    f.tracked_status = "newcomer";
    auto p = merge(merged_event("CONTRIBUTOR"), f);
    CHECK(p->awards[0].newcomer);
    CHECK_FALSE(p->awards[0].first_timer);
    CHECK(p->template_name == "coin");
    f.tracked_status = "first_timer";
    CHECK(merge(merged_event("CONTRIBUTOR"), f)->template_name == "coin_first");
  }
  SECTION("a second merged pull request in the repository is no first") {
    coins::MergeFacts f;
    f.earlier_merges = 1;
    auto p = merge(merged_event(), f);
    CHECK_FALSE(p->awards[0].first_timer);
    CHECK(p->template_name == "coin");
  }
  SECTION("a regular gets the coin and the short thank-you, or nothing said when the repo says so") {
    auto p = merge(merged_event("MEMBER"));
    CHECK_FALSE(p->awards[0].newcomer);
    CHECK(p->template_name == "coin");
    RepoConfig quiet;
    quiet.coins_later_merges = false;
    auto q = merge(merged_event("MEMBER"), {}, quiet);
    CHECK(q->awards.size() == 1);
    CHECK(q->template_name.empty());
  }
  SECTION("no coin for a close without merge, for a bot, or where coins are off") {
    CHECK_FALSE(merge(merged_event("FIRST_TIME_CONTRIBUTOR", false)));
    CHECK_FALSE(merge(merged_event("NONE", true, "dependabot[bot]", "Bot")));
    RepoConfig off;
    off.coins_enabled = false;
    CHECK_FALSE(merge(merged_event(), {}, off));
  }
}

TEST_CASE("coins: the approvers of a newcomer's merged pull request get mentor coins", "[coins]") {
  coins::MergeFacts f;
  f.approvals = {{"mona", "https://a/mona", 1}, {"nina-dev", "", 2}, {"helper[bot]", "", 3}, {"hubot", "", 4}};
  auto plan = merge(merged_event(), f);
  REQUIRE(plan->awards.size() == 3);  // the author's coin, mona's, hubot's: never the author or a bot
  CHECK(plan->awards[1].kind == "mentor");
  CHECK(plan->awards[1].login == "mona");
  CHECK(plan->awards[1].avatar_url == "https://a/mona");
  CHECK(plan->awards[1].key.ends_with(":mona"));
  CHECK(plan->awards[2].login == "hubot");
  CHECK(plan->mentors == std::vector<std::string>{"mona", "hubot"});
  // A regular's merge: the reviewers are doing their usual work.
  CHECK(merge(merged_event("MEMBER"), f)->awards.size() == 1);
}

TEST_CASE("coins: /coin @login for <reason>", "[coins]") {
  auto c = coins::parse_command("/coin @nina-dev for fixing the docs build\nthanks all");
  REQUIRE(c);
  CHECK(c->login == "nina-dev");
  CHECK(c->reason == "fixing the docs build");
  CHECK(coins::parse_command("  /COIN   @a-b  FOR  triage ")->login == "a-b");
  CHECK_FALSE(coins::parse_command("Thanks! /coin @nina-dev for that"));  // only at the start
  CHECK_FALSE(coins::parse_command("/coins are great"));
  CHECK(coins::parse_command("/coin nina-dev for x")->login.empty());       // unreadable
  CHECK(coins::parse_command("/coin @nina-dev")->login.empty());
  CHECK(coins::parse_command("/coin @-bad for x")->login.empty());
  CHECK(coins::parse_command("/coin @x for " + std::string(500, 'y'))->reason.size() == 200);

  auto by_owner = coins::decide_command(comment("/coin @nina-dev for triaging the open issues", "OWNER"));
  REQUIRE(by_owner);
  REQUIRE(by_owner->award);
  CHECK(by_owner->template_name == "coin_award");
  CHECK(by_owner->award->kind == "award");
  CHECK(by_owner->award->login == "nina-dev");
  CHECK(by_owner->award->reason == "triaging the open issues");
  CHECK(by_owner->award->awarded_by == "Codertocat");
  CHECK(by_owner->award->avatar_url == "https://github.com/nina-dev.png");
  CHECK(by_owner->award->awarded_at == *parse_iso8601_ms("2026-11-22T11:00:00Z"));
  CHECK(by_owner->award->key == "award:Codertocat/Hello-World#1:492700400");
  CHECK(by_owner->reply_key == "coin-reply:Codertocat/Hello-World#1:492700400");

  for (const char* association : {"CONTRIBUTOR", "FIRST_TIME_CONTRIBUTOR", "NONE"}) {
    auto no = coins::decide_command(comment("/coin @nina-dev for triage", association));
    REQUIRE(no);
    CHECK_FALSE(no->award);
    CHECK(no->not_maintainer);
    CHECK(no->template_name == "coin_refused");
  }
  auto unreadable = coins::decide_command(comment("/coin for everyone", "MEMBER"));
  REQUIRE(unreadable);
  CHECK(unreadable->unreadable);
  CHECK_FALSE(unreadable->award);
  CHECK_FALSE(coins::decide_command(comment("/coin @x for y", "OWNER", "Bot")));
  CHECK_FALSE(coins::decide_command(comment("Looks good to me", "OWNER")));
}

TEST_CASE("coins: the board, most coins first, with newcomers and their retention", "[coins][leaderboard]") {
  std::vector<Award> awards = {award("ana", "merge", 10, true),  award("ana", "merge", 20),
                               award("bo", "merge", 15, true),   award("cy", "mentor", 16),
                               award("cy", "award", 17),          award("cy", "merge", 30),
                               award("di", "merge", 5)};
  auto b = coins::board(awards, std::nullopt);
  REQUIRE(b.entries.size() == 4);
  CHECK(b.entries[0].login == "cy");  // 3 coins
  CHECK(b.entries[0].merged_prs == 1);
  CHECK(b.entries[1].login == "ana");  // 2 coins
  CHECK(b.entries[1].first_merged_at == 10);
  CHECK(b.entries[1].newcomer);
  CHECK(b.entries[2].login == "di");  // 1 coin each: the earlier first merge first
  CHECK(b.entries[3].login == "bo");
  CHECK(b.first_timers == 2);  // ana and bo
  CHECK(b.returned == 1);      // ana came back
  auto j = coins::to_json(b);
  CHECK(j.at("sprint").is_null());
  CHECK(json::serialize(j.at("entries").at(0)) ==
        R"({"login":"cy","avatar_url":"","coins":3,"merged_prs":1,"first_merged_at":"1970-01-01T00:00:00Z","newcomer":false})");
  CHECK(json::serialize(j.at("retention")) == R"({"first_timers":2,"returned":1})");
  CHECK(coins::board({award("ea", "award", 1)}, std::nullopt).entries[0].first_merged_at == std::nullopt);
}

TEST_CASE("coins: a sprint counts its window, its repositories or org, and its participants", "[coins][sprints]") {
  Sprint s;
  s.starts_at = 100;
  s.ends_at = 200;
  s.repos = {"octo/site"};
  CHECK(s.counts(award("a", "merge", 100)));
  CHECK(s.counts(award("a", "merge", 199)));
  CHECK_FALSE(s.counts(award("a", "merge", 200)));
  CHECK_FALSE(s.counts(award("a", "merge", 99)));
  CHECK(s.counts(award("a", "merge", 150, false, "Octo/Site")));
  CHECK_FALSE(s.counts(award("a", "merge", 150, false, "octo/other")));
  s.org = "octo";
  CHECK(s.counts(award("a", "merge", 150, false, "octo/other")));
  CHECK_FALSE(s.counts(award("a", "merge", 150, false, "octopus/site")));
  s.participants = {"Ana"};
  CHECK(s.counts(award("ana", "merge", 150)));
  CHECK_FALSE(s.counts(award("bo", "merge", 150)));
}

TEST_CASE("coins: sprints from the admin API's JSON, each mistake named", "[coins][sprints]") {
  auto ok = coins::sprint_from_json(json::parse(R"({"name":"PyCon US 2026: Sprints!","starts_at":"2026-05-18T09:00:00-04:00",
      "ends_at":"2026-05-21T18:00:00Z","repos":["python/cpython"],"participants":["nina-dev"]})"), 7);
  CHECK(ok.slug == "pycon-us-2026-sprints");
  CHECK(ok.starts_at == *parse_iso8601_ms("2026-05-18T13:00:00Z"));
  CHECK(ok.repos == std::vector<std::string>{"python/cpython"});
  CHECK(ok.participants == std::vector<std::string>{"nina-dev"});
  CHECK(ok.created_at == 7);
  auto refused = [](const std::string& body) {
    try {
      coins::sprint_from_json(json::parse(body), 0);
    } catch (const coins::SprintError& e) {
      return std::string(e.what());
    }
    return std::string("accepted");
  };
  const std::string times = R"("starts_at":"2026-05-18T09:00:00Z","ends_at":"2026-05-19T09:00:00Z")";
  CHECK(refused("[]") == "the sprint must be a JSON object");
  CHECK(refused(R"({"name":"x",)" + times + "}") == "a sprint needs repos (a list of \"owner/name\") or an org");
  CHECK(refused(R"({"name":"x",)" + times + R"(,"repos":["nope"]})").starts_with("repos must be a list of repositories"));
  CHECK(refused(R"({"name":"x",)" + times + R"(,"org":"octo","colour":"red"})").starts_with("unknown field \"colour\""));
  CHECK(refused(R"({"name":"x","starts_at":"2026-05-19T09:00:00Z","ends_at":"2026-05-18T09:00:00Z","org":"o"})") ==
        "ends_at must be after starts_at");
  CHECK(refused(R"({"name":"x","starts_at":"2026-05-19 09:00","ends_at":"2026-05-18T09:00:00Z","org":"o"})")
            .starts_with("starts_at must be an ISO 8601 time"));
  CHECK(refused(R"({"name":"!!!",)" + times + R"(,"org":"o"})").starts_with("slug must be"));
  CHECK(refused(R"({"name":"x","slug":"Bad Slug",)" + times + R"(,"org":"o"})").starts_with("slug must be"));
  CHECK(refused(R"({)" + times + R"(,"org":"o"})") == "name is required, at most 120 characters");
}

TEST_CASE("coins: the CSV quotes what needs quoting and keeps formulas out of spreadsheets", "[coins][sprints]") {
  auto a = award("nina-dev", "award", 0);
  a.title = "Fix \"quotes\", commas\nand lines";
  a.reason = "=HYPERLINK(\"http://evil\")";
  a.awarded_by = "@mona";
  auto csv = coins::to_csv({a});
  CHECK(csv == "awarded_at,login,kind,repo,number,title,reason,newcomer,first_merged_pr,awarded_by\r\n"
               "1970-01-01T00:00:00Z,nina-dev,award,octo/site,0,\"Fix \"\"quotes\"\", commas\nand lines\","
               "\"'=HYPERLINK(\"\"http://evil\"\")\",no,no,'@mona\r\n");
}

TEST_CASE("coins: the ledger awards each key once, in order, and finds the running sprint", "[coins][store]") {
  testing::TempDir dir;
  auto s = store::Store::open({DatabaseUrl::Kind::sqlite, dir / "db.sqlite"});
  auto first = award("ana", "merge", 10, true);
  bool added = false, again = true;
  s->writes().run([&](store::Db& db) {
    added = store::coins::award(db, first);
    again = store::coins::award(db, first);
    store::coins::award(db, award("ana", "mentor", 20));
    store::coins::award(db, award("bo", "merge", 30, false, "octo/other"));
  });
  CHECK(added);
  CHECK_FALSE(again);
  s->read([&](store::Db& db) {
    CHECK(store::coins::count(db, "ana", "octo/site") == 2);
    CHECK(store::coins::count(db, "ana", "octo/site", "merge") == 1);
    CHECK(store::coins::total(db, "ANA") == 2);
    CHECK(store::coins::exists(db, first.key));
    auto after = store::coins::since(db, 0, 10);
    REQUIRE(after.size() == 3);
    CHECK(after[0].login == "ana");
    CHECK(after[0].first_timer);
    CHECK(store::coins::since(db, after[1].id, 10).size() == 1);
    CHECK(store::coins::last_id(db) == after[2].id);
  });
  Sprint past, now;
  past.slug = "past";
  past.name = "Past";
  past.starts_at = 0;
  past.ends_at = 25;
  past.repos = {"octo/site"};
  now = past;
  now.slug = "now";
  now.starts_at = 25;
  now.ends_at = 100;
  now.org = "octo";
  now.repos = {};
  bool created = false, duplicate = true;
  s->writes().run([&](store::Db& db) {
    created = store::coins::create_sprint(db, past);
    duplicate = store::coins::create_sprint(db, past);
    store::coins::create_sprint(db, now);
  });
  CHECK(created);
  CHECK_FALSE(duplicate);
  s->read([&](store::Db& db) {
    CHECK(store::coins::current_sprint(db, 50)->slug == "now");
    CHECK_FALSE(store::coins::current_sprint(db, 100));
    CHECK(store::coins::find_sprint(db, "now")->org == "octo");
    CHECK(store::coins::awards(db, store::coins::find_sprint(db, "past")).size() == 2);
    CHECK(store::coins::awards(db, store::coins::find_sprint(db, "now")).size() == 1);
    CHECK(store::coins::awards(db, std::nullopt).size() == 3);
    CHECK(store::coins::sprints(db).front().slug == "now");
  });
}

namespace {

github::Event review_event(const std::string& state, const std::string& association, const std::string& login = "mona",
                           const std::string& action = "submitted", const std::string& type = "User") {
  auto v = json::parse(testing::fixture("pull_request_review/submitted.json"));
  v.as_object()["action"] = action;
  auto& review = v.as_object()["review"].as_object();
  review["state"] = state;
  review["author_association"] = association;
  review["user"].as_object()["login"] = login;
  review["user"].as_object()["type"] = type;
  return github::parse_event("d", "pull_request_review", json::serialize(v));
}

using testing::FixedConfig;

std::size_t records_for(const github::Event& e, features::ConfigSource* configs = nullptr) {
  features::Ports ports;
  ports.configs = configs;
  features::Context context(e, ports);
  coins::handle_review(context);
  return context.records.size();
}

// The approvers the store holds for the fixture's pull request after these reviews.
std::vector<std::string> approvers_after(const std::vector<github::Event>& reviews) {
  testing::TempDir dir;
  auto s = store::Store::open({DatabaseUrl::Kind::sqlite, dir / "db.sqlite"});
  for (const auto& e : reviews) {
    features::Ports ports;
    features::Context context(e, ports);
    coins::handle_review(context);
    s->writes().run([&](store::Db& db) {
      for (const auto& r : context.records) r(db);
    });
  }
  std::vector<std::string> out;
  s->read([&](store::Db& db) {
    for (const auto& a : store::pull_requests::approvals(db, "Codertocat/Hello-World", 2)) out.push_back(a.login);
  });
  return out;
}

}  // namespace

TEST_CASE("coins: only the repository's own people (or its configured reviewers) can earn a mentor coin", "[coins]") {
  for (const char* association : {"OWNER", "MEMBER", "COLLABORATOR"}) {
    INFO(association);
    CHECK(records_for(review_event("approved", association)) == 1);
  }
  for (const char* association : {"CONTRIBUTOR", "NONE", "FIRST_TIME_CONTRIBUTOR"}) {
    INFO(association);
    CHECK(records_for(review_event("approved", association)) == 0);
  }
  FixedConfig listed;
  listed.value.reviewers = {"@org/mentors", "@Mona"};
  CHECK(records_for(review_event("approved", "CONTRIBUTOR"), &listed) == 1);
  CHECK(records_for(review_event("approved", "MEMBER", "helper[bot]", "submitted", "Bot")) == 0);
  // A change of mind, or a dismissed review, withdraws an approval; a plain comment does not.
  CHECK(records_for(review_event("changes_requested", "CONTRIBUTOR")) == 1);
  CHECK(records_for(review_event("approved", "MEMBER", "mona", "dismissed")) == 1);
  CHECK(records_for(review_event("commented", "MEMBER")) == 0);
  auto approved = review_event("approved", "MEMBER");
  auto hubot = review_event("approved", "MEMBER", "hubot");
  CHECK(approvers_after({approved, hubot}) == std::vector<std::string>{"hubot", "mona"});
  CHECK(approvers_after({approved, hubot, review_event("commented", "MEMBER")}).size() == 2);
  CHECK(approvers_after({approved, hubot, review_event("changes_requested", "MEMBER")}) == std::vector<std::string>{"hubot"});
  CHECK(approvers_after({approved, review_event("approved", "MEMBER", "mona", "dismissed")}).empty());
}

TEST_CASE("coins: /coin means nothing where coins are off, and a very long line is read safely", "[coins]") {
  FixedConfig off;
  off.value.coins_enabled = false;
  features::Ports ports;
  ports.configs = &off;
  auto e = comment("/coin @nina-dev for triaging the open issues", "OWNER");
  features::Context context(e, ports);
  coins::handle_command(context);
  CHECK(context.writes.empty());
  CHECK(context.records.empty());

  auto huge = coins::parse_command("/coin @nina-dev for " + std::string(65'000, 'x'));
  REQUIRE(huge);
  CHECK(huge->login == "nina-dev");
  CHECK(huge->reason.size() <= 200);
  std::string umlauts;
  for (int i = 0; i < 150; ++i) umlauts += "\xC3\xBC";  // ü, two bytes each
  auto cut = coins::parse_command("/coin @nina-dev for " + umlauts);
  REQUIRE(cut);
  CHECK(cut->reason.size() % 2 == 0);  // never half a character
}
