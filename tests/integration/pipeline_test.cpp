// The pipeline through the real server and the fake GitHub: whose turn it is on a newcomer's
// pull request, as the webhooks tell it.
#include <catch2/catch.hpp>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "store/pipeline.hpp"
#include "support/files.hpp"
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
