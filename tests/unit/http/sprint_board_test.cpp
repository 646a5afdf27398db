// The sprint board, its JSON, the sprints the admin API accepts and the CSV of awards.
#include <catch2/catch.hpp>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "core/time.hpp"
#include "http/sprint_board.hpp"
#include "store/coins.hpp"
#include "support/awards.hpp"

using namespace mentorbot;
namespace json = boost::json;
using store::coins::Award;
using store::coins::Sprint;

using testing::award;

TEST_CASE("sprint board: the board, most coins first, with newcomers and their retention", "[coins][leaderboard]") {
  std::vector<Award> awards = {award("ana", "merge", 10, true),  award("ana", "merge", 20),
                               award("bo", "merge", 15, true),   award("cy", "mentor", 16),
                               award("cy", "award", 17),          award("cy", "merge", 30),
                               award("di", "merge", 5)};
  auto b = http::board_of(awards, std::nullopt);
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
  auto j = http::to_json(b);
  CHECK(j.at("sprint").is_null());
  CHECK(json::serialize(j.at("entries").at(0)) ==
        R"({"login":"cy","avatar_url":"","coins":3,"merged_prs":1,"first_merged_at":"1970-01-01T00:00:00Z","newcomer":false})");
  CHECK(json::serialize(j.at("retention")) == R"({"first_timers":2,"returned":1})");
  CHECK(http::board_of({award("ea", "award", 1)}, std::nullopt).entries[0].first_merged_at == std::nullopt);
}

TEST_CASE("sprint board: sprints from the admin API's JSON, each mistake named", "[coins][sprints]") {
  auto ok = http::sprint_from_json(json::parse(R"({"name":"PyCon US 2026: Sprints!","starts_at":"2026-05-18T09:00:00-04:00",
      "ends_at":"2026-05-21T18:00:00Z","repos":["python/cpython"],"participants":["nina-dev"]})"), 7);
  CHECK(ok.slug == "pycon-us-2026-sprints");
  CHECK(ok.starts_at == *parse_iso8601_ms("2026-05-18T13:00:00Z"));
  CHECK(ok.repos == std::vector<std::string>{"python/cpython"});
  CHECK(ok.participants == std::vector<std::string>{"nina-dev"});
  CHECK(ok.created_at == 7);
  auto refused = [](const std::string& body) {
    try {
      http::sprint_from_json(json::parse(body), 0);
    } catch (const http::SprintError& e) {
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
  // Control characters and invisible text-direction overrides would reach public comments.
  for (const char* name : {R"(Sprint\u0000night)", R"(two\nlines)", R"(tab\there)", R"(bell\u0007)", "del\u007f",
                           "c1\u0085x", "bidi\u202eevil", "iso\u2066late"}) {
    INFO(name);
    CHECK(refused(std::string(R"({"name":")") + name + "\"," + times + R"(,"org":"o","slug":"s"})") ==
          "name must be printable text: no control characters or invisible text-direction marks");
  }
  CHECK(refused(R"({"name":"Caf\u00e9 \u2603 sprint",)" + times + R"(,"org":"o","slug":"s"})") == "accepted");
}

TEST_CASE("sprint board: the CSV quotes what needs quoting and keeps formulas out of spreadsheets", "[coins][sprints]") {
  auto a = award("nina-dev", "award", 0);
  a.title = "Fix \"quotes\", commas\nand lines";
  a.reason = "=HYPERLINK(\"http://evil\")";
  a.awarded_by = "@mona";
  auto csv = http::to_csv({a});
  CHECK(csv == "awarded_at,login,kind,repo,number,title,reason,newcomer,first_merged_pr,awarded_by\r\n"
               "1970-01-01T00:00:00Z,nina-dev,award,octo/site,0,\"Fix \"\"quotes\"\", commas\nand lines\","
               "\"'=HYPERLINK(\"\"http://evil\"\")\",no,no,'@mona\r\n");
}

