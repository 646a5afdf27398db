#include "core/logging.hpp"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <vector>

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

namespace mentorbot {
namespace {

struct SecretList {
  std::shared_mutex mutex;
  std::vector<std::string> values;
};

SecretList& secrets() {
  static SecretList list;
  return list;
}

void scrub(std::string& text) {
  auto& list = secrets();
  std::shared_lock lock(list.mutex);
  for (const auto& secret : list.values) {
    for (auto pos = text.find(secret); pos != std::string::npos; pos = text.find(secret, pos)) {
      text.replace(pos, secret.size(), "[redacted]");
    }
  }
}

spdlog::level::level_enum to_level(std::string_view name) {
  if (name == "trace") return spdlog::level::trace;
  if (name == "debug") return spdlog::level::debug;
  if (name == "warn") return spdlog::level::warn;
  if (name == "error") return spdlog::level::err;
  if (name == "fatal") return spdlog::level::critical;
  if (name == "silent") return spdlog::level::off;
  return spdlog::level::info;
}

std::string_view level_name(spdlog::level::level_enum level) {
  switch (level) {
    case spdlog::level::trace: return "trace";
    case spdlog::level::debug: return "debug";
    case spdlog::level::info: return "info";
    case spdlog::level::warn: return "warn";
    case spdlog::level::err: return "error";
    case spdlog::level::critical: return "fatal";
    default: return "info";
  }
}

// One JSON object per line, as log collectors (and Probot's pino) expect.
class JsonFormatter final : public spdlog::formatter {
 public:
  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override {
    std::string line;
    line.reserve(msg.payload.size() + 96);
    line += R"({"time":")";
    auto since_epoch = msg.time.time_since_epoch();
    auto secs = std::chrono::duration_cast<std::chrono::seconds>(since_epoch);
    auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(since_epoch - secs).count();
    std::time_t t = secs.count();
    std::tm tm{};
    gmtime_r(&t, &tm);
    char stamp[96];
    std::snprintf(stamp, sizeof stamp, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                  tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(millis));
    line += stamp;
    line += R"(","level":")";
    line += level_name(msg.level);
    line += R"(","msg":")";
    std::string text(msg.payload.data(), msg.payload.size());
    scrub(text);
    append_json_escaped(line, text);
    line += "\"}\n";
    dest.append(line.data(), line.data() + line.size());
  }
  std::unique_ptr<spdlog::formatter> clone() const override { return std::make_unique<JsonFormatter>(); }
};

// The pattern formatter for people, with secrets scrubbed from the finished line.
class PrettyFormatter final : public spdlog::formatter {
 public:
  PrettyFormatter() : inner_("%Y-%m-%d %H:%M:%S.%e %^%-5l%$ %v") {}
  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override {
    spdlog::memory_buf_t raw;
    inner_.format(msg, raw);
    std::string text(raw.data(), raw.size());
    scrub(text);
    dest.append(text.data(), text.data() + text.size());
  }
  std::unique_ptr<spdlog::formatter> clone() const override { return std::make_unique<PrettyFormatter>(); }

 private:
  spdlog::pattern_formatter inner_;
};

}  // namespace

void append_json_escaped(std::string& out, std::string_view text) {
  static constexpr char hex[] = "0123456789abcdef";
  for (unsigned char c : text) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          out += "\\u00";
          out += hex[c >> 4];
          out += hex[c & 15];
        } else {
          out += static_cast<char>(c);
        }
    }
  }
}

void redact_in_logs(std::string_view secret) {
  if (secret.size() < 8) return;
  auto& list = secrets();
  std::unique_lock lock(list.mutex);
  if (std::find(list.values.begin(), list.values.end(), secret) == list.values.end()) {
    list.values.emplace_back(secret);
  }
}

std::string redact(std::string_view text) {
  std::string out(text);
  scrub(out);
  return out;
}

void setup_logging(std::string_view level, std::optional<LogFormat> format) {
  bool tty = isatty(STDERR_FILENO) != 0;
  LogFormat chosen = format.value_or(tty ? LogFormat::pretty : LogFormat::json);
  std::shared_ptr<spdlog::logger> logger;
  if (chosen == LogFormat::pretty) {
    auto sink = std::make_shared<spdlog::sinks::stderr_color_sink_mt>();
    logger = std::make_shared<spdlog::logger>("mentorbot", sink);
    logger->set_formatter(std::make_unique<PrettyFormatter>());
  } else {
    auto sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
    logger = std::make_shared<spdlog::logger>("mentorbot", sink);
    logger->set_formatter(std::make_unique<JsonFormatter>());
  }
  logger->set_level(to_level(level));
  logger->flush_on(spdlog::level::trace);  // lines reach the file before a crash or kill -9
  spdlog::set_default_logger(std::move(logger));
}

}  // namespace mentorbot
