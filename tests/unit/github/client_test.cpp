#include <catch2/catch.hpp>

#include "github/client.hpp"

using namespace mentorbot::github;

namespace {
HttpResponse answer(unsigned status, std::string body, std::map<std::string, std::string> headers = {}) {
  HttpResponse r;
  r.status = status;
  r.body = std::move(body);
  r.headers = std::move(headers);
  return r;
}
}  // namespace

TEST_CASE("answers are classified as GitHub's rate-limit rules say", "[client]") {
  const std::int64_t now = 1'000'000;
  CHECK(classify(answer(201, "{}"), now).kind == Verdict::Kind::ok);
  CHECK(classify(answer(401, R"({"message":"Bad credentials"})"), now).kind == Verdict::Kind::unauthorized);

  auto retry_after = classify(answer(403, R"({"message":"You have exceeded a secondary rate limit"})", {{"retry-after", "30"}}), now);
  CHECK(retry_after.kind == Verdict::Kind::rate_limited);
  CHECK(retry_after.retry_at_ms == now + 30'000);

  auto primary = classify(answer(403, R"({"message":"API rate limit exceeded"})",
                                 {{"x-ratelimit-remaining", "0"}, {"x-ratelimit-reset", "2000"}}),
                          now);
  CHECK(primary.kind == Verdict::Kind::rate_limited);
  CHECK(primary.retry_at_ms == 2'000'000);

  auto secondary = classify(answer(403, R"({"message":"You have exceeded a secondary rate limit. Please wait."})"), now);
  CHECK(secondary.kind == Verdict::Kind::rate_limited);
  CHECK(secondary.retry_at_ms == now + 60'000);  // no header: at least a minute

  CHECK(classify(answer(429, "{}"), now).kind == Verdict::Kind::rate_limited);
  auto forbidden = classify(answer(403, R"({"message":"Resource not accessible by integration"})",
                                   {{"x-ratelimit-remaining", "4000"}}),
                            now);
  CHECK(forbidden.kind == Verdict::Kind::refused);
  CHECK(forbidden.message == "403 Resource not accessible by integration");
  CHECK(classify(answer(422, R"({"message":"Validation Failed"})"), now).kind == Verdict::Kind::refused);
  CHECK(classify(answer(502, "<html>bad gateway</html>"), now).kind == Verdict::Kind::unavailable);
  CHECK(classify(answer(500, "{}"), now).kind == Verdict::Kind::unavailable);
}

TEST_CASE("pagination follows the Link header's next page", "[client]") {
  std::string link =
      R"(<https://api.github.com/repositories/1/issues/2/comments?per_page=100&page=2>; rel="next", )"
      R"(<https://api.github.com/repositories/1/issues/2/comments?per_page=100&page=5>; rel="last")";
  CHECK(next_link(link, "") == "/repositories/1/issues/2/comments?per_page=100&page=2");
  CHECK(next_link(R"(<https://ghe.example.org/api/v3/repos/o/r/pulls/1/files?page=3>; rel="next")", "/api/v3") ==
        "/repos/o/r/pulls/1/files?page=3");
  CHECK(next_link(R"(<https://api.github.com/x?page=1>; rel="prev", <https://api.github.com/x?page=9>; rel="last")", "")
            .empty());
  CHECK(next_link("", "").empty());
}

TEST_CASE("API base URLs parse as SPEC gives them", "[client]") {
  auto dotcom = parse_api_url("https://api.github.com");
  CHECK(dotcom.tls);
  CHECK(dotcom.host == "api.github.com");
  CHECK(dotcom.port == "443");
  CHECK(dotcom.base_path.empty());
  auto fake = parse_api_url("http://127.0.0.1:39080/api/v3");
  CHECK_FALSE(fake.tls);
  CHECK(fake.host == "127.0.0.1");
  CHECK(fake.port == "39080");
  CHECK(fake.base_path == "/api/v3");
  CHECK_THROWS(parse_api_url("ftp://x"));
}
