// Coins: who earns one when a pull request merges (and which words they read), the mentor
// coins, the /coin command, and the steps that award them in the delivery's own transaction.
#include <catch2/catch.hpp>

#include "support/fixed_ports.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "core/time.hpp"
#include "features/coins/coins.hpp"
#include "store/coins.hpp"
#include "store/pull_requests.hpp"
#include "store/store.hpp"
#include "support/files.hpp"
#include "support/temp_dir.hpp"

using namespace mentorbot;
namespace coins = mentorbot::features::coins;
namespace outbox = mentorbot::store::outbox;

namespace {

// The warm words (made on first use: the templates cannot load before main()).
const features::Words& words() {
  static const features::Words w(&testing::source_templates(), "warm", {});
  return w;
}
const coins::Badges badges{"https://mentorbot.example"};

github::PullRequestEvent merged_event(const std::string& association = "FIRST_TIME_CONTRIBUTOR", bool merged = true,
                                      const std::string& login = "nina-dev", const std::string& type = "User") {
  auto v = json::parse(testing::fixture("pull_request/closed.merged.json"));
  auto& pr = v.as_object()["pull_request"].as_object();
  pr["merged"] = merged;
  pr["author_association"] = association;
  pr["merged_at"] = "2026-11-22T10:00:00Z";
  pr["user"].as_object()["login"] = login;
  pr["user"].as_object()["type"] = type;
  return std::get<github::PullRequestEvent>(github::parse_event("d", "pull_request", json::serialize(v)).payload);
}

std::optional<coins::MergePlan> merge(const github::PullRequestEvent& e, coins::MergeFacts facts = {},
                                      coins::Settings settings = {}) {
  return coins::decide_merge(e, settings, facts, badges, words());
}

std::string body_of(const std::optional<outbox::Write>& w) {
  REQUIRE(w);
  return std::get<outbox::Comment>(w->change).body;
}

github::IssueCommentEvent comment(const std::string& body, const std::string& association,
                                  const std::string& type = "User") {
  auto v = json::parse(testing::fixture("issue_comment/created.json"));
  auto& c = v.as_object()["comment"].as_object();
  c["body"] = body;
  c["author_association"] = association;
  c["user"].as_object()["type"] = type;
  c["created_at"] = "2026-11-22T11:00:00Z";
  return std::get<github::IssueCommentEvent>(github::parse_event("d", "issue_comment", json::serialize(v)).payload);
}

std::optional<coins::CommandPlan> command(const github::IssueCommentEvent& e, coins::CommandFacts facts = {},
                                          coins::Settings settings = {}) {
  return coins::decide_command(e, settings, facts, badges, words());
}

github::PullRequestReviewEvent review_event(const std::string& state, const std::string& association,
                                            const std::string& login = "mona", const std::string& action = "submitted",
                                            const std::string& type = "User") {
  auto v = json::parse(testing::fixture("pull_request_review/submitted.json"));
  v.as_object()["action"] = action;
  auto& review = v.as_object()["review"].as_object();
  review["state"] = state;
  review["author_association"] = association;
  review["user"].as_object()["login"] = login;
  review["user"].as_object()["type"] = type;
  return std::get<github::PullRequestReviewEvent>(
      github::parse_event("d", "pull_request_review", json::serialize(v)).payload);
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
  REQUIRE(plan->comment);
  CHECK(plan->comment->key == "coin:robvanderleek/create-issue-branch#" + std::to_string(coin.number));
  CHECK_THAT(body_of(plan->comment), Catch::Contains("https://mentorbot.example/badges/nina-dev.svg"));
}

TEST_CASE("coins: which merge earns what, and which words it reads", "[coins]") {
  struct Row {
    std::string what;
    std::string association;
    std::optional<std::string> tracked;  // what the bot saw at the opening
    std::int64_t earlier_merges;
    bool later_merges;  // coins.later_merges
    bool newcomer, first;
    std::string words;  // coin_first, coin, or none
  };
  std::vector<Row> table = {
      {"a first-time contributor", "FIRST_TIME_CONTRIBUTOR", std::nullopt, 0, true, true, true, "coin_first"},
      {"a first-timer on GitHub", "FIRST_TIMER", std::nullopt, 0, true, true, true, "coin_first"},
      {"seen as a newcomer at the opening", "CONTRIBUTOR", "newcomer", 0, true, true, false, "coin"},
      {"seen as a first-timer at the opening", "CONTRIBUTOR", "first_timer", 0, true, true, true, "coin_first"},
      {"a second merged pull request here", "FIRST_TIME_CONTRIBUTOR", std::nullopt, 1, true, true, false, "coin"},
      {"a regular", "MEMBER", std::nullopt, 0, true, false, false, "coin"},
      {"a regular where later merges go unsaid", "MEMBER", std::nullopt, 0, false, false, false, "none"},
      {"a first merge where later merges go unsaid", "FIRST_TIME_CONTRIBUTOR", std::nullopt, 0, false, true, true,
       "coin_first"},
  };
  for (const auto& r : table) {
    INFO(r.what);
    coins::MergeFacts facts;
    facts.tracked_status = r.tracked;
    facts.earlier_merges = r.earlier_merges;
    coins::Settings settings;
    settings.later_merges = r.later_merges;
    auto plan = merge(merged_event(r.association), facts, settings);
    REQUIRE(plan);
    CHECK(plan->awards[0].newcomer == r.newcomer);
    CHECK(plan->awards[0].first_timer == r.first);
    if (r.words == "none") {
      CHECK_FALSE(plan->comment);
    } else {
      auto said = body_of(plan->comment);
      bool celebrates = said.find("first") != std::string::npos;
      CHECK(celebrates == (r.words == "coin_first"));
    }
  }
  INFO("no coin for a close without merge, for a bot, or where coins are off");
  CHECK_FALSE(merge(merged_event("FIRST_TIME_CONTRIBUTOR", false)));
  CHECK_FALSE(merge(merged_event("NONE", true, "dependabot[bot]", "Bot")));
  coins::Settings off;
  off.enabled = false;
  CHECK_FALSE(merge(merged_event(), {}, off));
}

TEST_CASE("coins: a redelivered merge keeps what was decided when its coin was first awarded", "[coins]") {
  coins::MergeFacts facts;
  store::coins::Award before;
  before.first_timer = false;  // a merge counted first then was not the author's first
  before.awarded_at = 7;
  facts.before = before;
  auto plan = merge(merged_event(), facts);
  CHECK_FALSE(plan->awards[0].first_timer);
  CHECK_THAT(body_of(plan->comment), !Catch::Contains("first"));
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
  CHECK_THAT(body_of(plan->comment), Catch::Contains("@mona, @hubot"));
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
  CHECK(coins::parse_command("/coin nina-dev for x")->login.empty());  // unreadable
  CHECK(coins::parse_command("/coin @nina-dev")->login.empty());
  CHECK(coins::parse_command("/coin @-bad for x")->login.empty());
  CHECK(coins::parse_command("/coin @x for " + std::string(500, 'y'))->reason.size() == 200);

  auto by_owner = command(comment("/coin @nina-dev for triaging the open issues", "OWNER"), {2, {}});
  REQUIRE(by_owner);
  REQUIRE(by_owner->award);
  CHECK(by_owner->award->kind == "award");
  CHECK(by_owner->award->login == "nina-dev");
  CHECK(by_owner->award->reason == "triaging the open issues");
  CHECK(by_owner->award->awarded_by == "Codertocat");
  CHECK(by_owner->award->avatar_url == "https://github.com/nina-dev.png");
  CHECK(by_owner->award->awarded_at == *parse_iso8601_ms("2026-11-22T11:00:00Z"));
  CHECK(by_owner->award->key == "award:Codertocat/Hello-World#1:492700400");
  CHECK(by_owner->reply.key == "coin-reply:Codertocat/Hello-World#1:492700400");
  CHECK_THAT(std::get<outbox::Comment>(by_owner->reply.change).body, Catch::Contains("3 challenge coins"));

  struct Row {
    std::string body, association, type;
    std::string outcome;  // coin, no, unreadable, nothing
  };
  std::vector<Row> table = {
      {"/coin @nina-dev for triage", "MEMBER", "User", "coin"},
      {"/coin @nina-dev for triage", "COLLABORATOR", "User", "coin"},
      {"/coin @nina-dev for triage", "CONTRIBUTOR", "User", "no"},
      {"/coin @nina-dev for triage", "FIRST_TIME_CONTRIBUTOR", "User", "no"},
      {"/coin @nina-dev for triage", "NONE", "User", "no"},
      {"/coin for everyone", "MEMBER", "User", "unreadable"},
      {"/coin for everyone", "NONE", "User", "no"},  // a polite no comes before reading it
      {"/coin @x for y", "OWNER", "Bot", "nothing"},
      {"Looks good to me", "OWNER", "User", "nothing"},
  };
  for (const auto& r : table) {
    INFO(r.body << " by " << r.association << " " << r.type);
    auto plan = command(comment(r.body, r.association, r.type));
    if (r.outcome == "nothing") {
      CHECK_FALSE(plan);
      continue;
    }
    REQUIRE(plan);
    CHECK(plan->award.has_value() == (r.outcome == "coin"));
    auto reply = std::get<outbox::Comment>(plan->reply.change).body;
    CHECK((reply.find("@nina-dev") != std::string::npos) == (r.outcome == "coin"));
  }
  coins::Settings off;
  off.enabled = false;
  CHECK_FALSE(command(comment("/coin @nina-dev for triage", "OWNER"), {}, off));
}

TEST_CASE("coins: only the repository's own people (or its configured reviewers) can earn a mentor coin", "[coins]") {
  using Kind = coins::ApprovalChange::Kind;
  struct Row {
    std::string state, association, login, action, type;
    std::vector<std::string> reviewers;
    std::optional<Kind> change;
  };
  std::vector<Row> table = {
      {"approved", "OWNER", "mona", "submitted", "User", {}, Kind::approved},
      {"approved", "MEMBER", "mona", "submitted", "User", {}, Kind::approved},
      {"approved", "COLLABORATOR", "mona", "submitted", "User", {}, Kind::approved},
      {"approved", "CONTRIBUTOR", "mona", "submitted", "User", {}, std::nullopt},
      {"approved", "NONE", "mona", "submitted", "User", {}, std::nullopt},
      {"approved", "FIRST_TIME_CONTRIBUTOR", "mona", "submitted", "User", {}, std::nullopt},
      {"approved", "CONTRIBUTOR", "mona", "submitted", "User", {"@org/mentors", "@Mona"}, Kind::approved},
      {"approved", "MEMBER", "helper[bot]", "submitted", "Bot", {}, std::nullopt},
      // A change of mind, or a dismissed review, withdraws an approval; a plain comment does not.
      {"changes_requested", "CONTRIBUTOR", "mona", "submitted", "User", {}, Kind::withdrawn},
      {"approved", "MEMBER", "mona", "dismissed", "User", {}, Kind::withdrawn},
      {"commented", "MEMBER", "mona", "submitted", "User", {}, std::nullopt},
  };
  for (const auto& r : table) {
    INFO(r.state << " " << r.association << " " << r.login << " " << r.action);
    auto change = coins::decide_review(review_event(r.state, r.association, r.login, r.action, r.type), r.reviewers);
    CHECK(change.has_value() == r.change.has_value());
    if (change && r.change) CHECK(change->kind == *r.change);
  }
}

TEST_CASE("coins: approvals kept by the delivery's steps are the mentors at the merge", "[coins]") {
  testing::TempDir dir;
  auto s = store::Store::open({DatabaseUrl::Kind::sqlite, dir / "db.sqlite"});
  auto approvers_after = [&](const std::vector<github::PullRequestReviewEvent>& reviews) {
    for (const auto& e : reviews) {
      testing::Handling h;
      coins::handle_review(e, h.context);
      testing::commit(*s, h.handover);
    }
    std::vector<std::string> out;
    s->read([&](store::Db& db) {
      for (const auto& a : store::pull_requests::approvals(db, "Codertocat/Hello-World", 2)) out.push_back(a.login);
    });
    return out;
  };
  auto approved = review_event("approved", "MEMBER");
  auto hubot = review_event("approved", "MEMBER", "hubot");
  CHECK(approvers_after({approved, hubot}) == std::vector<std::string>{"hubot", "mona"});
  CHECK(approvers_after({review_event("commented", "MEMBER")}).size() == 2);
  CHECK(approvers_after({review_event("changes_requested", "MEMBER")}) == std::vector<std::string>{"hubot"});
  CHECK(approvers_after({review_event("approved", "MEMBER", "hubot", "dismissed")}).empty());
}

TEST_CASE("coins: the merge's coins and words are decided in the transaction that keeps them", "[coins]") {
  testing::TempDir dir;
  auto s = store::Store::open({DatabaseUrl::Kind::sqlite, dir / "db.sqlite"});
  auto handled = [&](const github::PullRequestEvent& e) {
    testing::Handling h;
    coins::handle_merge(e, h.context, badges);
    CHECK(h.handover.plan.writes.empty());  // nothing decided before the transaction
    REQUIRE(h.handover.steps.size() == 1);
    return testing::commit(*s, h.handover);
  };
  auto first = merged_event();
  auto plan = handled(first);
  CHECK(plan.coins_awarded);
  REQUIRE(plan.writes.size() == 1);
  CHECK_THAT(std::get<outbox::Comment>(plan.writes[0].change).body, Catch::Contains("first"));
  // Redelivered: the same coin is not awarded again; the comment is the same write (one key).
  auto again = handled(first);
  CHECK_FALSE(again.coins_awarded);
  CHECK(again.writes[0].key == plan.writes[0].key);
  // Her second pull request merged: the ledger says it is not her first.
  auto second = merged_event();
  second.pull_request.number += 1;
  auto later = handled(second);
  CHECK(later.coins_awarded);
  CHECK_THAT(std::get<outbox::Comment>(later.writes[0].change).body, Catch::Contains("2 challenge coins"));
  s->read([&](store::Db& db) { CHECK(store::coins::count(db, "nina-dev", first.repository.full_name) == 2); });
}

TEST_CASE("coins: /coin means nothing where coins are off, and a very long line is read safely", "[coins]") {
  testing::TempDir dir;
  auto s = store::Store::open({DatabaseUrl::Kind::sqlite, dir / "db.sqlite"});
  auto e = comment("/coin @nina-dev for triaging the open issues", "OWNER");
  testing::Handling off;
  off.sources.config.coins.enabled = false;
  coins::handle_command(e, off.context, badges);
  auto nothing = testing::commit(*s, off.handover);
  CHECK(nothing.writes.empty());
  CHECK_FALSE(nothing.coins_awarded);
  s->read([](store::Db& db) { CHECK(store::coins::last_id(db) == 0); });
  // The same command where coins are on: a coin in the ledger, and a reply.
  testing::Handling on;
  coins::handle_command(e, on.context, badges);
  auto awarded = testing::commit(*s, on.handover);
  CHECK(awarded.coins_awarded);
  CHECK(awarded.writes.size() == 1);
  s->read([](store::Db& db) { CHECK(store::coins::total(db, "nina-dev") == 1); });

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

TEST_CASE("coins: a first merge suggests up to three open issues as a next step, never the author's own",
          "[coins][pipeline]") {
  auto e = merged_event();
  const auto& base = e.repository.html_url;
  REQUIRE_FALSE(base.empty());
  auto issue = [&](std::int64_t n, const std::string& title, const std::string& author) {
    return features::OpenIssue{n, title, author, base + "/issues/" + std::to_string(n)};
  };
  coins::MergeFacts facts;
  facts.open_issues = {issue(1, "Add a *dark* mode", "mona"), issue(2, "My own idea", "Nina-Dev"),
                       {3, "Elsewhere", "mona", "https://evil.example/issues/3"}, issue(4, "Explain @octo/team", "mona"),
                       issue(5, "Docs for the CLI", "hubot"), issue(6, "A fourth one", "hubot")};
  auto body = body_of(merge(e, facts)->comment);
  CHECK_THAT(body, Catch::Contains("If you'd like a next step"));
  CHECK_THAT(body, Catch::Contains("- [Add a \\*dark\\* mode](" + base + "/issues/1)"));
  CHECK_THAT(body, !Catch::Contains("My own idea"));       // the author's own
  CHECK_THAT(body, !Catch::Contains("evil.example"));      // not a link of this repository
  CHECK_THAT(body, Catch::Contains("Explain @\u200Docto/team"));  // no team is pinged
  CHECK_THAT(body, Catch::Contains("/issues/5)"));
  CHECK_THAT(body, !Catch::Contains("A fourth one"));      // three at most

  // None open: nothing said about a next step. A later merge's words never suggest one.
  CHECK_THAT(body_of(merge(e)->comment), !Catch::Contains("next step"));
  coins::MergeFacts later = facts;
  later.earlier_merges = 1;
  later.earlier_coins = 1;
  CHECK_THAT(body_of(merge(e, later)->comment), !Catch::Contains("next step"));
}

TEST_CASE("coins: the next-step search is asked once per merge, and not when the labels are off", "[coins][pipeline]") {
  testing::TempDir dir;
  auto s = store::Store::open({DatabaseUrl::Kind::sqlite, dir / "db.sqlite"});
  testing::Handling h;
  coins::handle_merge(merged_event(), h.context, badges);
  CHECK(h.sources.issue_searches == 1);
  testing::Handling off;
  off.sources.config.coins.next_step_labels.clear();
  coins::handle_merge(merged_event(), off.context, badges);
  CHECK(off.sources.issue_searches == 0);
}
