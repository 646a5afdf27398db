#include "core/metrics.hpp"

#include <cmath>
#include <stdexcept>

#include <fmt/format.h>

namespace mentorbot {

Histogram::Histogram(std::vector<double> bounds)
    : bounds_(std::move(bounds)), buckets_(new std::atomic<std::uint64_t>[bounds_.size() + 1]) {
  for (std::size_t i = 0; i <= bounds_.size(); ++i) buckets_[i] = 0;
}

void Histogram::observe(double value) {
  std::size_t i = 0;
  while (i < bounds_.size() && value > bounds_[i]) ++i;
  buckets_[i].fetch_add(1, std::memory_order_relaxed);
  auto micros = value > 0 ? static_cast<std::uint64_t>(std::llround(value * 1e6)) : 0;
  sum_micros_.fetch_add(micros, std::memory_order_relaxed);
}

std::vector<std::uint64_t> Histogram::cumulative() const {
  std::vector<std::uint64_t> out(bounds_.size() + 1);
  std::uint64_t running = 0;
  for (std::size_t i = 0; i <= bounds_.size(); ++i) {
    running += buckets_[i].load(std::memory_order_relaxed);
    out[i] = running;
  }
  return out;
}

double Histogram::sum() const { return static_cast<double>(sum_micros_.load(std::memory_order_relaxed)) / 1e6; }

std::string render_labels(const Labels& labels) {
  if (labels.empty()) return {};
  std::string out = "{";
  for (std::size_t i = 0; i < labels.size(); ++i) {
    if (i) out += ',';
    out += labels[i].first;
    out += "=\"";
    for (char c : labels[i].second) {
      if (c == '\\' || c == '"') {
        out += '\\';
        out += c;
      } else if (c == '\n') {
        out += "\\n";
      } else {
        out += c;
      }
    }
    out += '"';
  }
  return out + "}";
}

Metrics::Family& Metrics::family(const std::string& name, const std::string& help, const char* type) {
  auto& f = families_[name];
  if (f.type.empty()) {
    f.help = help;
    f.type = type;
  } else if (f.type != type) {
    throw std::logic_error("metric " + name + " registered as " + f.type + " and " + type);
  }
  return f;
}

Counter& Metrics::counter(const std::string& name, const std::string& help, const Labels& labels) {
  std::lock_guard lock(mutex_);
  auto& slot = family(name, help, "counter").counters[render_labels(labels)];
  if (!slot) slot = std::make_unique<Counter>();
  return *slot;
}

Histogram& Metrics::histogram(const std::string& name, const std::string& help, const Labels& labels,
                              const std::vector<double>& bounds) {
  std::lock_guard lock(mutex_);
  auto& slot = family(name, help, "histogram").histograms[render_labels(labels)];
  if (!slot) slot = std::make_unique<Histogram>(bounds);
  return *slot;
}

void Metrics::gauge(const std::string& name, const std::string& help, GaugeReader reader) {
  std::lock_guard lock(mutex_);
  family(name, help, "gauge").gauge = std::move(reader);
}

const std::vector<double>& Metrics::latency_buckets() {
  static const std::vector<double> buckets = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                              0.05,   0.1,     0.25,   0.5,   1,      2.5,   5,    10,
                                              30,     60};
  return buckets;
}

namespace {
std::string number(double v) {
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  if (v == std::floor(v) && std::fabs(v) < 1e15) return fmt::format("{}", static_cast<long long>(v));
  return fmt::format("{}", v);
}

// Adds le="…" to an already rendered label set.
std::string with_le(const std::string& labels, const std::string& le) {
  if (labels.empty()) return "{le=\"" + le + "\"}";
  return labels.substr(0, labels.size() - 1) + ",le=\"" + le + "\"}";
}
}  // namespace

std::string Metrics::render() const {
  std::vector<std::pair<std::string, GaugeReader>> gauges;
  std::string out;
  {
    std::lock_guard lock(mutex_);
    for (const auto& [name, f] : families_) {
      if (f.gauge) {
        gauges.emplace_back(name, f.gauge);
        continue;
      }
      out += "# HELP " + name + " " + f.help + "\n# TYPE " + name + " " + f.type + "\n";
      for (const auto& [labels, c] : f.counters) out += name + labels + " " + std::to_string(c->value()) + "\n";
      for (const auto& [labels, h] : f.histograms) {
        auto counts = h->cumulative();
        for (std::size_t i = 0; i < h->bounds().size(); ++i) {
          out += name + "_bucket" + with_le(labels, number(h->bounds()[i])) + " " + std::to_string(counts[i]) + "\n";
        }
        out += name + "_bucket" + with_le(labels, "+Inf") + " " + std::to_string(counts.back()) + "\n";
        out += name + "_sum" + labels + " " + number(h->sum()) + "\n";
        out += name + "_count" + labels + " " + std::to_string(counts.back()) + "\n";
      }
    }
  }
  // Gauge readers may query the store: called outside the lock.
  for (const auto& [name, reader] : gauges) {
    std::string help;
    {
      std::lock_guard lock(mutex_);
      help = families_.at(name).help;
    }
    out += "# HELP " + name + " " + help + "\n# TYPE " + name + " gauge\n";
    try {
      for (const auto& [labels, value] : reader()) out += name + render_labels(labels) + " " + number(value) + "\n";
    } catch (const std::exception&) {
      // The store does not answer (its outage is counted elsewhere): the rest of /metrics still does.
    }
  }
  return out;
}

}  // namespace mentorbot
