// The live events: one SSE message framed once for every viewer, each viewer sent each id once,
// viewers that left forgotten.
#include <catch2/catch.hpp>

#include "support/fixed_ports.hpp"

#include "http/event_stream.hpp"

using namespace mentorbot::http;

namespace {

using FakeSink = testing::RecordingSink;

}  // namespace

TEST_CASE("events: SSE messages and chunks are framed as the standards say", "[sse]") {
  CHECK(sse_message(7, "coin", R"({"login":"nina"})") == "id: 7\nevent: coin\ndata: {\"login\":\"nina\"}\n\n");
  CHECK(sse_message(8, "coin", "two\nlines") == "id: 8\nevent: coin\ndata: two\ndata: lines\n\n");
  CHECK(chunk("hello") == "5\r\nhello\r\n");
  CHECK(chunk(std::string(26, 'x')) == "1a\r\n" + std::string(26, 'x') + "\r\n");
}

TEST_CASE("events: every viewer gets each event once, the same bytes, and leavers are forgotten", "[sse]") {
  EventStream stream;
  auto a = std::make_shared<FakeSink>(), b = std::make_shared<FakeSink>(), c = std::make_shared<FakeSink>();
  stream.subscribe(a, 0);
  stream.subscribe(b, 0);
  stream.subscribe(c, 5);  // caught up to 5 already
  CHECK(stream.publish(5, "coin", "{}") == 2);
  CHECK(stream.publish(5, "coin", "{}") == 0);  // the same id again: nobody
  CHECK(stream.publish(6, "coin", "{}") == 3);
  REQUIRE(a->got.size() == 2);
  CHECK(a->got[0] == b->got[0]);  // shared, not copied per viewer
  CHECK(c->got.size() == 1);
  b->open = false;
  c.reset();
  stream.heartbeat();
  CHECK(stream.viewers() == 1);
  CHECK(*a->got.back() == chunk(": keep-alive\n\n"));
}

// Issue 12: the count (which enforces the cap on viewers) dropped only at the next heartbeat,
// 15 s later; 300 viewers gone were still 300.
TEST_CASE("events: viewers that left are not counted, with no event or heartbeat in between", "[sse]") {
  EventStream stream;
  std::vector<std::shared_ptr<FakeSink>> sinks;
  for (int i = 0; i < 300; ++i) {
    sinks.push_back(std::make_shared<FakeSink>());
    stream.subscribe(sinks.back(), 0);
  }
  auto stays = std::make_shared<FakeSink>();
  stream.subscribe(stays, 0);
  CHECK(stream.viewers() == 301);
  sinks.clear();
  CHECK(stream.viewers() == 1);
}

TEST_CASE("events: a Last-Event-ID counts only as a plain non-negative integer", "[sse]") {
  CHECK(parse_last_event_id("0") == 0);
  CHECK(parse_last_event_id("12345") == 12345);
  for (const char* odd : {"", "-1", "+1", "1e9", "0x10", "1.5", "1 ", " 1", "99999999999999999999", "abc"}) {
    INFO(odd);
    CHECK_FALSE(parse_last_event_id(odd).has_value());
  }
}
