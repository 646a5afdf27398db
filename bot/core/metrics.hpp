#pragma once
// A small Prometheus registry: counters, histograms and gauges read at scrape time, rendered in
// the text exposition format (version 0.0.4).
#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace mentorbot {

using Labels = std::vector<std::pair<std::string, std::string>>;

class Counter {
 public:
  void inc(std::uint64_t n = 1) { value_.fetch_add(n, std::memory_order_relaxed); }
  std::uint64_t value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<std::uint64_t> value_{0};
};

class Histogram {
 public:
  explicit Histogram(std::vector<double> bounds);
  void observe(double value);
  std::vector<std::uint64_t> cumulative() const;  // one per bound, then +Inf
  double sum() const;
  const std::vector<double>& bounds() const { return bounds_; }

 private:
  std::vector<double> bounds_;
  std::unique_ptr<std::atomic<std::uint64_t>[]> buckets_;  // non-cumulative, last is +Inf
  std::atomic<std::uint64_t> sum_micros_{0};
};

class Metrics {
 public:
  using GaugeReader = std::function<std::vector<std::pair<Labels, double>>()>;

  Counter& counter(const std::string& name, const std::string& help, const Labels& labels = {});
  Histogram& histogram(const std::string& name, const std::string& help, const Labels& labels,
                       const std::vector<double>& bounds);
  // A gauge whose series are read when /metrics is scraped.
  void gauge(const std::string& name, const std::string& help, GaugeReader reader);

  std::string render() const;

  static const std::vector<double>& latency_buckets();  // seconds, 100 µs … 60 s

 private:
  struct Family {
    std::string help;
    std::string type;
    std::map<std::string, std::unique_ptr<Counter>> counters;
    std::map<std::string, std::unique_ptr<Histogram>> histograms;
    GaugeReader gauge;
  };
  Family& family(const std::string& name, const std::string& help, const char* type);

  mutable std::mutex mutex_;
  std::map<std::string, Family> families_;
};

std::string render_labels(const Labels& labels);

}  // namespace mentorbot
