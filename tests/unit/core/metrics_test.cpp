#include <catch2/catch.hpp>

#include "core/metrics.hpp"

using namespace mentorbot;

TEST_CASE("metrics render in the Prometheus text format", "[metrics]") {
  Metrics m;
  m.counter("jobs_total", "Jobs", {{"event", "pull_request"}, {"outcome", "handled"}}).inc(3);
  m.counter("jobs_total", "Jobs", {{"event", "ping"}, {"outcome", "handled"}}).inc();
  auto& h = m.histogram("latency_seconds", "Latency", {}, {0.1, 1});
  h.observe(0.05);
  h.observe(0.5);
  h.observe(5);
  m.gauge("depth", "Depth", [] { return std::vector<std::pair<Labels, double>>{{{{"state", "a\"b"}}, 2}}; });

  auto text = m.render();
  CHECK_THAT(text, Catch::Contains("# TYPE jobs_total counter\n"));
  CHECK_THAT(text, Catch::Contains("jobs_total{event=\"pull_request\",outcome=\"handled\"} 3\n"));
  CHECK_THAT(text, Catch::Contains("jobs_total{event=\"ping\",outcome=\"handled\"} 1\n"));
  CHECK_THAT(text, Catch::Contains("latency_seconds_bucket{le=\"0.1\"} 1\n"));
  CHECK_THAT(text, Catch::Contains("latency_seconds_bucket{le=\"1\"} 2\n"));
  CHECK_THAT(text, Catch::Contains("latency_seconds_bucket{le=\"+Inf\"} 3\n"));
  CHECK_THAT(text, Catch::Contains("latency_seconds_count 3\n"));
  CHECK_THAT(text, Catch::Contains("latency_seconds_sum 5.55\n"));
  CHECK_THAT(text, Catch::Contains("depth{state=\"a\\\"b\"} 2\n"));
}

TEST_CASE("one name cannot be two kinds of metric", "[metrics]") {
  Metrics m;
  m.counter("x", "X");
  CHECK_THROWS(m.histogram("x", "X", {}, {1}));
}
