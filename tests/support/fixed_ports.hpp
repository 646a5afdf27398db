#pragma once
// Small stand-ins for what the app hands features and the event stream, shared by unit tests.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "features/ports.hpp"
#include "http/message.hpp"
#include "render/templates.hpp"

namespace testing {

// The templates of this source tree, loaded once.
inline const mentorbot::render::Templates& source_templates() {
  static const auto t = mentorbot::render::Templates::load(MENTORBOT_SOURCE_DIR "/templates");
  return t;
}

// Every repository has the same config.
struct FixedConfig final : mentorbot::features::ConfigSource {
  mentorbot::RepoConfig value;
  mentorbot::RepoConfig config(std::int64_t, const std::string&) override { return value; }
  void forget(const std::string&) override {}
};

// A viewer of a stream that keeps what it was sent; `open = false` makes it one that left.
struct RecordingSink final : mentorbot::http::StreamSink {
  std::vector<std::shared_ptr<const std::string>> got;
  bool open = true;
  bool push(std::shared_ptr<const std::string> bytes) override {
    if (!open) return false;
    got.push_back(std::move(bytes));
    return true;
  }
  // How often `text` occurs in what it was sent.
  std::size_t count(const std::string& text) const {
    std::size_t n = 0;
    for (const auto& g : got) {
      for (auto at = g->find(text); at != std::string::npos; at = g->find(text, at + 1)) ++n;
    }
    return n;
  }
};

}  // namespace testing
