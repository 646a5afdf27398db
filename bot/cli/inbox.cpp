// `mentorbot inbox list`: the deliveries not done yet (or parked, or all), from the database.
#include <ctime>
#include <iostream>

#include "cli/verbs.hpp"
#include "core/errors.hpp"
#include "store/inbox.hpp"
#include "store/store.hpp"

namespace mentorbot::cli {
namespace {

std::string when(std::int64_t ms) {
  std::time_t t = ms / 1000;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char out[32];
  std::strftime(out, sizeof out, "%Y-%m-%d %H:%M:%SZ", &tm);
  return out;
}

}  // namespace

int inbox(const ServerConfig& config, const Args& args) {
  if (args.positional.empty() || args.positional[0] != "list" || args.positional.size() > 1) {
    throw ConfigError("usage: mentorbot inbox list [--failed | --all] [--limit N]");
  }
  bool failed = args.flag("--failed").has_value();
  bool all = args.flag("--all").has_value();
  if (failed && all) throw ConfigError("choose one of --failed and --all");
  int limit = 100;
  if (auto l = args.flag("--limit")) {
    try {
      limit = std::stoi(*l);
    } catch (...) {
      limit = -1;
    }
    if (limit < 1) throw ConfigError("--limit must be a positive number, got \"" + *l + "\"");
  }
  auto store = store::Store::open_read_only(config.database);
  auto filter = failed ? store::inbox::Filter::failed : all ? store::inbox::Filter::all : store::inbox::Filter::open;
  auto rows = store->read([&](store::Db& db) { return store::inbox::list(db, filter, limit); });
  auto counts = store->read([&](store::Db& db) { return store::inbox::counts(db, true); });
  std::cout << "pending " << counts["pending"] << ", running " << counts["running"] << ", failed " << counts["failed"]
            << ", done " << counts["done"] << "\n";
  for (const auto& r : rows) {
    std::string what = r.event + (r.action ? "." + *r.action : "");
    std::string where = r.repo.value_or("-") + (r.number ? "#" + std::to_string(*r.number) : "");
    std::cout << r.seq << "  " << r.guid << "  " << what << "  " << where << "  " << r.state << "  attempts "
              << r.attempts << "  received " << when(r.received_at);
    if (r.outcome && r.state == "done") std::cout << "  " << *r.outcome;
    if (r.last_error) std::cout << "  error: " << *r.last_error;
    std::cout << "\n";
  }
  return 0;
}

}  // namespace mentorbot::cli
