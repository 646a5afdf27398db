#pragma once
// Which feature handles which event. Each handler takes the typed view of its event and the
// delivery's Context; registry.cpp wires every feature. A handler that throws makes the delivery
// retry; one that throws PermanentError parks it.
#include <functional>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "features/context.hpp"
#include "features/review/rules.hpp"

namespace mentorbot::features {

using Handler = std::function<void(const github::Event&, Context&)>;

class Registry {
 public:
  struct Entry {
    std::string event;   // "pull_request"
    std::string action;  // "opened", or empty for every action
    std::string feature;
    Handler handler;
  };

  // `pattern` is "event" or "event.action"; E is the event's typed view.
  template <class E>
  void on(std::string_view pattern, std::string feature, std::function<void(const E&, Context&)> handler) {
    add(pattern, std::move(feature), [handler = std::move(handler)](const github::Event& e, Context& c) {
      const auto* typed = std::get_if<E>(&e.payload);
      if (!typed) throw std::logic_error(e.name + " is not read as " + std::string(E::name));
      handler(*typed, c);
    });
  }
  // For every event matching `pattern`, whatever its view.
  void on_any(std::string_view pattern, std::string feature, Handler handler) {
    add(pattern, std::move(feature), std::move(handler));
  }

  // The entries for one delivery, in registration order. Empty: nobody cares; the delivery is
  // acknowledged and ignored.
  std::vector<const Entry*> handlers_for(std::string_view event, std::string_view action) const;
  // The events some feature other than `except` handles (the App's subscriptions come from these).
  std::set<std::string> events(std::string_view except = {}) const;

 private:
  void add(std::string_view pattern, std::string feature, Handler handler);
  std::vector<Entry> entries_;
};

// What features need from the process, loaded once at start.
struct FeatureSettings {
  const std::vector<review::Rule>* rules = nullptr;  // the built-in review rules
  std::string public_url;                            // where this server is reached (coin badges); empty: unknown
};

// Every feature mentorbot has, wired to its events.
Registry build_registry(const FeatureSettings& settings);

}  // namespace mentorbot::features
