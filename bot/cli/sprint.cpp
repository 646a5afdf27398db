// `mentorbot sprint create|list|export`: sprints on the same database as `serve` (also while it
// runs), with the admin API's checks.
#include <fstream>
#include <iostream>

#include <boost/json/value.hpp>

#include "cli/verbs.hpp"
#include "core/clock.hpp"
#include "core/errors.hpp"
#include "core/time.hpp"
#include "http/sprint_board.hpp"
#include "store/coins.hpp"
#include "store/store.hpp"

namespace mentorbot::cli {

int sprint(const ServerConfig& config, const Args& args) {
  namespace json = boost::json;
  std::string what = args.positional.empty() ? "" : args.positional[0];
  if (what == "create" && args.positional.size() == 1) {
    // The same checks as the admin API: the flags become its JSON.
    json::object o;
    if (auto v = args.flag("--name")) o["name"] = *v;
    if (auto v = args.flag("--slug")) o["slug"] = *v;
    if (auto v = args.flag("--start")) o["starts_at"] = *v;
    if (auto v = args.flag("--end")) o["ends_at"] = *v;
    if (auto v = args.flag("--org")) o["org"] = *v;
    json::array repos, participants;
    for (const auto& r : args.all("--repo")) repos.emplace_back(r);
    for (const auto& p : args.all("--participant")) participants.emplace_back(p);
    if (!repos.empty()) o["repos"] = repos;
    if (!participants.empty()) o["participants"] = participants;
    store::coins::Sprint s;
    try {
      s = http::sprint_from_json(o, unix_ms());
    } catch (const http::SprintError& e) {
      throw ConfigError(std::string(e.what()) + " (flags: --name, --start, --end, --repo or --org)");
    }
    // Beside a running `serve` (which holds the payload log), through a store of its own.
    auto store = store::Store::open_beside_server(config.database);
    bool created = false;
    store->writes().run([&](store::Db& db) { created = store::coins::create_sprint(db, s); });
    store->close();
    if (!created) {
      std::cerr << "mentorbot: a sprint with the slug \"" << s.slug << "\" exists (choose another with --slug)\n";
      return 1;
    }
    std::cout << "sprint " << s.slug << " created: " << s.name << ", " << format_iso8601(s.starts_at) << " to "
              << format_iso8601(s.ends_at) << "\nits screen: /sprints/" << s.slug << "\n";
    return 0;
  }
  if (what == "list" && args.positional.size() == 1) {
    auto store = store::Store::open_read_only(config.database);
    auto now = unix_ms();
    store->read([&](store::Db& db) {
      auto list = store::coins::sprints(db);
      if (list.empty()) std::cout << "no sprints yet (see mentorbot --help: sprint create)\n";
      for (const auto& s : list) {
        auto awards = store::coins::awards(db, s);
        std::string scope = s.org.empty() ? "" : "every repository of " + s.org;
        for (const auto& r : s.repos) scope += (scope.empty() ? "" : ", ") + r;
        std::cout << s.slug << "  " << s.name << "  " << format_iso8601(s.starts_at) << " to "
                  << format_iso8601(s.ends_at)
                  << (s.starts_at <= now && now < s.ends_at ? "  (running)" : now < s.starts_at ? "  (upcoming)" : "")
                  << "  " << scope << "  " << awards.size() << " coin(s)\n";
      }
    });
    return 0;
  }
  if (what == "export" && args.positional.size() == 2) {
    auto store = store::Store::open_read_only(config.database);
    auto csv = store->read([&](store::Db& db) -> std::optional<std::string> {
      auto s = store::coins::find_sprint(db, args.positional[1]);
      if (!s) return std::nullopt;
      return http::to_csv(store::coins::awards(db, s));
    });
    if (!csv) throw ConfigError("no sprint \"" + args.positional[1] + "\" (mentorbot sprint list)");
    if (auto out = args.flag("--out")) {
      std::ofstream file(*out, std::ios::binary);
      file << *csv;
      if (!file) throw ConfigError("cannot write " + *out);
    } else {
      std::cout << *csv;
    }
    return 0;
  }
  throw ConfigError("usage: mentorbot sprint create|list|export (see mentorbot --help)");
}

}  // namespace mentorbot::cli
