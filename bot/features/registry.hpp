#pragma once
// Which feature handles which event. Handlers get a Context (Probot's `context`): the event and
// the ports the app hands them. A handler that throws makes the delivery retry; one that throws
// PermanentError parks it.
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "features/ports.hpp"
#include "github/event.hpp"
#include "history/classify.hpp"
#include "store/outbox.hpp"
#include "store/sqlite.hpp"

namespace mentorbot::features {

struct Context {
  Context(const github::Event& e, const Ports& p, int attempt_number = 1, bool last = false)
      : event(e), ports(p), attempt(attempt_number), last_attempt(last) {}

  const github::Event& event;
  const Ports& ports;
  int attempt = 1;            // 1 on the first try, 2 on the first retry, …
  bool last_attempt = false;  // a handler that cannot find out now must decide without
  // GitHub writes the handler plans. They are stored (with their idempotency keys) in the same
  // transaction that marks the delivery done, and sent afterwards by the outbox sender.
  std::vector<store::outbox::Write> writes;
  void write(store::outbox::Write w) { writes.push_back(std::move(w)); }
  // Facts the handler keeps in the store (a tracked pull request, say), recorded in that same
  // transaction.
  std::vector<std::function<void(store::Db&)>> records;
  void record(std::function<void(store::Db&)> r) { records.push_back(std::move(r)); }

  // Asked at most once per delivery and shared by the features that need them
  // (features/pull_request.hpp fills them).
  std::optional<history::Classification> author;
  std::optional<RepoConfig> config;
  std::optional<review::PullRequestFacts> facts;
};

using Handler = std::function<void(Context&)>;

class Registry {
 public:
  struct Entry {
    std::string event;   // "pull_request"
    std::string action;  // "opened", or empty for every action
    std::string feature;
    Handler handler;
  };

  // `pattern` is "event" or "event.action".
  void on(std::string_view pattern, std::string feature, Handler handler);

  // The entries for one delivery, in registration order. Empty: nobody cares; the delivery is
  // acknowledged and ignored.
  std::vector<const Entry*> handlers_for(std::string_view event, std::string_view action) const;

 private:
  std::vector<Entry> entries_;
};

// Every feature mentorbot has, wired to its events (registry.cpp).
Registry build_registry();

}  // namespace mentorbot::features
