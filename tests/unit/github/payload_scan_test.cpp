#include <catch2/catch.hpp>

#include "github/event.hpp"
#include "github/payload_scan.hpp"
#include "support/files.hpp"

using namespace mentorbot::github;

namespace {
PayloadFacts facts(const std::string& body) {
  auto r = scan_payload(body);
  if (auto* e = std::get_if<ScanError>(&r)) FAIL("unexpected scan error: " << e->reason);
  return std::get<PayloadFacts>(r);
}
std::string error(const std::string& body) {
  auto r = scan_payload(body);
  REQUIRE(std::holds_alternative<ScanError>(r));
  return std::get<ScanError>(r).reason;
}
}  // namespace

TEST_CASE("the scan finds what the inbox indexes in real payloads", "[payload]") {
  auto pr = facts(testing::fixture("pull_request/opened.json"));
  CHECK(pr.action == std::string("opened"));
  CHECK(pr.installation_id == 1);
  CHECK(pr.repo == std::string("Codertocat/Hello-World"));
  CHECK(pr.number == 2);

  auto merged = facts(testing::fixture("pull_request/closed.merged.json"));
  CHECK(merged.installation_id == 1301612);
  CHECK(merged.repo == std::string("robvanderleek/create-issue-branch"));
  CHECK(merged.number == 117);

  auto comment = facts(testing::fixture("issue_comment/created.json"));
  CHECK(comment.action == std::string("created"));
  CHECK(comment.number == 1);  // issue.number

  auto review = facts(testing::fixture("pull_request_review/submitted.json"));
  CHECK(review.number == 2);  // pull_request.number

  auto ping = facts(testing::fixture("ping/ping.json"));
  CHECK_FALSE(ping.action.has_value());
  CHECK_FALSE(ping.installation_id.has_value());

  auto installation = facts(testing::fixture("installation/created.json"));
  CHECK(installation.installation_id == 957387);
  CHECK_FALSE(installation.repo.has_value());
}

TEST_CASE("keys nested deeper or inside arrays are not mistaken for the top-level ones", "[payload]") {
  auto f = facts(R"({"labels":[{"action":"x","number":9}],"pull_request":{"head":{"number":5},"number":3},)"
                 R"("installation":{"account":{"id":77},"id":12},"action":"labeled"})");
  CHECK(f.action == std::string("labeled"));
  CHECK(f.number == 3);
  CHECK(f.installation_id == 12);
}

TEST_CASE("escaped strings are captured decoded", "[payload]") {
  auto f = facts(R"({"action":"op\u0065ned","repository":{"full_name":"a\/b"}})");
  CHECK(f.action == std::string("opened"));
  CHECK(f.repo == std::string("a/b"));
}

TEST_CASE("anything that is not one well-formed JSON object is refused with a reason", "[payload]") {
  CHECK_THAT(error(""), Catch::Contains("not valid JSON"));
  CHECK_THAT(error("{\"a\":1"), Catch::Contains("not valid JSON"));
  CHECK_THAT(error("{\"a\":1,}"), Catch::Contains("not valid JSON"));
  CHECK_THAT(error("{\"a\":1} {}"), Catch::Contains("after the JSON value"));
  CHECK_THAT(error("[1,2]"), Catch::Contains("not a JSON object"));
  CHECK_THAT(error("\"text\""), Catch::Contains("not a JSON object"));
  CHECK_THAT(error("{\"a\":\"\xff\"}"), Catch::Contains("not valid JSON"));  // invalid UTF-8
  CHECK_THAT(error("{/*c*/}"), Catch::Contains("not valid JSON"));
  CHECK(facts("  {\"a\":1}\n").action == std::nullopt);  // surrounding whitespace is fine
}

// What the door acknowledges (202) the worker must be able to parse: GitHub never sends a
// delivery again, so one refused later is lost. Nesting was the gap (64 at the door, 32 behind).
TEST_CASE("the door accepts exactly the nesting the worker parses", "[payload]") {
  for (std::size_t depth = 1; depth <= 80; ++depth) {
    std::string body = R"({"action":"opened","number":1,"x":)" + std::string(depth - 1, '[') + "0" +
                       std::string(depth - 1, ']') + "}";
    bool door = std::holds_alternative<PayloadFacts>(scan_payload(body));
    bool worker = true;
    try {
      parse_event("d", "pull_request", body);
    } catch (const std::exception& e) {
      worker = std::string(e.what()).find("not valid JSON") == std::string::npos;
    }
    INFO("depth " << depth);
    CHECK(door == worker);
    CHECK(door == (depth <= max_payload_depth));
  }
}
