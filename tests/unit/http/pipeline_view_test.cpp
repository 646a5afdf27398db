// The pipeline's numbers as people read them: the query, the JSON's shape, the CSV, the Markdown
// table and the page, with hostile titles kept as text.
#include <catch2/catch.hpp>

#include <boost/json/serialize.hpp>

#include "core/time.hpp"
#include "http/pipeline_view.hpp"

using namespace mentorbot;
using store::pipeline::Entry;

namespace {

constexpr std::int64_t hour = 3600LL * 1000;
constexpr std::int64_t day = 24 * hour;

Entry row(std::int64_t number, const char* author, bool newcomer, std::int64_t opened) {
  Entry e;
  e.repo = "octo/site";
  e.number = number;
  e.author = author;
  e.title = "Fix the cart";
  e.newcomer = newcomer;
  e.turn = "first_response";
  e.opened_at = e.turn_since = e.ready_at = opened;
  return e;
}

}  // namespace

TEST_CASE("pipeline query: one scope, dates or times, a one-line reason for anything else", "[pipeline][http]") {
  auto q = http::parse_pipeline_query("repo=octo%2Fsite&since=2026-11-01&until=2026-11-30");
  CHECK(q.repo == "octo/site");
  CHECK(q.since_ms == parse_iso8601_ms("2026-11-01T00:00:00Z"));
  CHECK(q.until_ms == parse_iso8601_ms("2026-12-01T00:00:00Z"));  // the whole of the 30th
  CHECK(http::parse_pipeline_query("org=octo&until=2026-11-30T12:00:00Z").until_ms ==
        parse_iso8601_ms("2026-11-30T12:00:00Z"));
  CHECK(http::parse_pipeline_query("").repo.empty());
  using Catch::Matchers::Contains;
  CHECK_THROWS_WITH(http::parse_pipeline_query("repo=octo/site&org=octo"), Contains("one of repo, org and sprint"));
  CHECK_THROWS_WITH(http::parse_pipeline_query("repo=..%2F..%2Fetc"), Contains("OWNER/NAME"));
  CHECK_THROWS_WITH(http::parse_pipeline_query("org=%00x"), Contains("GitHub login"));
  CHECK_THROWS_WITH(http::parse_pipeline_query("since=yesterday"), Contains("since must be a date"));
  CHECK_THROWS_WITH(http::parse_pipeline_query("since=%zz"), Contains("percent-encoded"));
  auto now = *parse_iso8601_ms("2026-12-04T00:00:00Z");
  auto v = http::view_of(http::parse_pipeline_query("repo=octo/site"), std::nullopt, now);
  CHECK(v.window.until_ms == now);
  CHECK(v.window.since_ms == now - 90 * day);
  CHECK_THROWS_WITH(http::view_of(http::parse_pipeline_query("since=2026-12-10"), std::nullopt, now),
                    Contains("since must be before until"));
  // A sprint: its scope, window and participants.
  store::coins::Sprint sprint;
  sprint.name = "PyCon sprint";
  sprint.org = "octo";
  sprint.starts_at = now - 2 * day;
  sprint.ends_at = now - day;
  sprint.participants = {"Ana"};
  v = http::view_of(http::parse_pipeline_query("sprint=pycon"), sprint, now);
  CHECK(v.label == "PyCon sprint");
  CHECK(v.scope.org == "octo");
  CHECK(v.window.since_ms == sprint.starts_at);
  CHECK(v.window.until_ms == sprint.ends_at);
  auto kept = http::of_participants({row(1, "ana", true, now), row(2, "ben", true, now)}, v.participants);
  REQUIRE(kept.size() == 1);
  CHECK(kept[0].author == "ana");
}

TEST_CASE("pipeline JSON, CSV, Markdown and page", "[pipeline][http]") {
  auto t0 = *parse_iso8601_ms("2026-11-01T00:00:00Z");
  auto now = t0 + 20 * day;
  auto answered = row(1, "ana", true, t0 + day);
  answered.first_response_at = answered.ready_at + 5 * hour;
  answered.turn = "review";
  auto hostile = row(2, "ben", true, t0 + 2 * day);
  hostile.title = "=HYPERLINK(\"x\") <script>alert(1)</script> | @octo/team";
  std::vector<Entry> rows = {answered, hostile};
  store::pipeline::Window window{t0, now};
  auto n = store::pipeline::numbers_of(rows, window, now);

  auto v = http::to_json(n, "octo/site");
  auto json = boost::json::serialize(v);
  CHECK_THAT(json, Catch::Contains(R"("stages":{"opened":2,"responded":1,"merged":0,"returned":0})"));
  CHECK_THAT(json, Catch::Contains(R"("median_s":18000,"p90_s":18000,)"));
  CHECK(v.at("time_to_first_response").at("within_2_days").as_double() == Approx(0.5));
  CHECK_THAT(json, Catch::Contains(R"("acceptance":{"merged":0,"closed":0,"ratio":null})"));
  CHECK_THAT(json, Catch::Contains(R"("waiting":[{"repo":"octo/site","number":2,"author":"ben",)"));
  CHECK_THAT(json, Catch::Contains(R"("waiting_since":"2026-11-03T00:00:00Z","waiting_s":1555200})"));

  auto csv = http::pipeline_csv(rows, window);
  CHECK_THAT(csv, Catch::StartsWith("repo,number,author,newcomer,title,opened_at,first_response_at"));
  CHECK_THAT(csv, Catch::Contains("octo/site,1,ana,yes,Fix the cart,2026-11-02T00:00:00Z,2026-11-02T05:00:00Z,18000,,,review\r\n"));
  CHECK_THAT(csv, Catch::Contains(",\"'=HYPERLINK(\"\"x\"\")"));  // a formula stays text

  auto md = http::pipeline_markdown(n, "octo/site");
  CHECK_THAT(md, Catch::Contains("| Got a first human response | 1 | 50 % |"));
  CHECK_THAT(md, Catch::Contains("| Median | 5 hours | – |"));
  CHECK_THAT(md, Catch::Contains("\\| @\u200Docto/team"));  // a table cell stays one cell; no team is pinged
  CHECK_THAT(md, Catch::Contains("&lt;script&gt;"));

  auto page = http::pipeline_page(n, "octo/site", "repo=octo/site&x=\"><script>");
  CHECK_THAT(page, Catch::Contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
  CHECK_THAT(page, !Catch::Contains("<script"));
  CHECK_THAT(page, Catch::Contains("<td id=\"stage-opened\">2</td>"));
  CHECK_THAT(page, Catch::Contains("<td id=\"median\">5 hours</td>"));
  CHECK_THAT(page, Catch::Contains("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"funnel\""));
  CHECK_THAT(page, Catch::Contains("class=\"histogram\""));
}

TEST_CASE("durations as a person says them, rounded up", "[pipeline][http]") {
  CHECK(spoken_duration(0) == "an hour");
  CHECK(spoken_duration(3600) == "an hour");
  CHECK(spoken_duration(3601) == "2 hours");
  CHECK(spoken_duration(23 * 3600 + 1) == "a day");
  CHECK(spoken_duration(24 * 3600) == "a day");
  CHECK(spoken_duration(24 * 3600 + 1) == "2 days");
  CHECK(spoken_duration(10 * 24 * 3600) == "10 days");
}
