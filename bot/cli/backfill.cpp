// `mentorbot backfill OWNER/REPO [--days 90] [--installation ID]`: the pipeline's rows for the pull
// requests of the window, read from GitHub (app/backfill.hpp), on the same database as `serve`
// (also while it runs).
#include <algorithm>
#include <charconv>
#include <iostream>
#include <limits>

#include "app/backfill.hpp"
#include "app/repo_configs.hpp"
#include "cli/verbs.hpp"
#include "core/clock.hpp"
#include "core/errors.hpp"
#include "core/metrics.hpp"
#include "core/version.hpp"
#include "http/sprint_board.hpp"

namespace mentorbot::cli {

int backfill(const ServerConfig& config, const Args& args) {
  if (args.positional.size() != 1 || !http::could_be_repo(args.positional[0])) {
    throw ConfigError("backfill needs one repository: mentorbot backfill OWNER/REPO [--days 90] [--installation ID]");
  }
  if (!config.app_id || !config.private_key_pem) {
    throw ConfigError("backfill reads GitHub as the App: set APP_ID and PRIVATE_KEY_PATH (or PRIVATE_KEY)");
  }
  app::BackfillOptions o;
  o.repo = args.positional[0];
  o.now_ms = unix_ms();
  auto number = [](const std::string& flag, const std::string& text, std::int64_t lo, std::int64_t hi) {
    std::int64_t v = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc() || end != text.data() + text.size() || v < lo || v > hi) {
      throw ConfigError(flag + " must be a whole number from " + std::to_string(lo) + " to " + std::to_string(hi));
    }
    return v;
  };
  if (auto v = args.flag("--days")) o.days = static_cast<int>(number("--days", *v, 1, 3650));
  auto store = store::Store::open_beside_server(config.database);
  if (auto v = args.flag("--installation")) {
    o.installation = number("--installation", *v, 1, std::numeric_limits<std::int64_t>::max());
  } else if (auto known = app::known_installation(*store, o.repo)) {
    o.installation = *known;
  } else {
    throw ConfigError("no delivery from " + o.repo + " yet, so its installation is unknown: pass --installation ID " +
                      "(the number at the end of the App's installation page address)");
  }
  std::string dir_name = o.repo;
  std::replace(dir_name.begin(), dir_name.end(), '/', '_');
  o.checkpoint = config.data_dir / "backfill" / (dir_name + ".json");

  Metrics metrics;
  github::Client::Options co;
  co.api_base_url = config.api_base_url;
  co.app_id = *config.app_id;
  co.http.user_agent = std::string("mentorbot/") + version;
  co.http.read_timeout = config.github_timeout;
  github::Client client(co, github::PrivateKey::parse(*config.private_key_pem, "the private key"), metrics);
  try {
    o.newcomer_threshold = app::RepoConfigs(client, {}).config(o.installation, o.repo).newcomer_threshold;
  } catch (const std::exception& e) {
    std::cerr << "mentorbot: the repository's config cannot be read (" << e.what() << "); newcomers are counted with "
              << o.newcomer_threshold << " merged pull requests\n";
  }
  try {
    auto r = app::backfill(client, *store, o, [](const std::string& line) { std::cerr << line << "\n"; });
    store->close();
    std::cout << "backfill of " << o.repo << ": " << r.saved << " pull request(s) kept, " << r.newcomers
              << " of them newcomers'" << (r.skipped ? ", " + std::to_string(r.skipped) + " done by the last run" : "")
              << "\n";
    return 0;
  } catch (const github::ApiError& e) {
    std::cerr << "mentorbot: GitHub refused: " << e.what() << " (is the App installed on " << o.repo << "?)\n";
  } catch (const std::exception& e) {
    std::cerr << "mentorbot: the backfill stopped: " << e.what() << "; run it again to go on from where it stopped\n";
  }
  store->close();
  return 1;
}

}  // namespace mentorbot::cli
