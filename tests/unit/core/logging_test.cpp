#include <catch2/catch.hpp>

#include "core/logging.hpp"

using namespace mentorbot;

TEST_CASE("registered secrets never survive into a log line", "[logging]") {
  redact_in_logs("s3cr3t-webhook-value");
  redact_in_logs("short");  // too short to redact safely: ignored
  CHECK(redact("sig for s3cr3t-webhook-value and s3cr3t-webhook-value") == "sig for [redacted] and [redacted]");
  CHECK(redact("a short word") == "a short word");
}

TEST_CASE("JSON log messages are escaped", "[logging]") {
  std::string out;
  append_json_escaped(out, "a \"quote\"\\ and\nnew line\t\x01");
  CHECK(out == "a \\\"quote\\\"\\\\ and\\nnew line\\t\\u0001");
}
