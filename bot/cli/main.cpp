// mentorbot: process wiring. Reads the environment and the command line, sets up logging, and
// runs one verb (bot/cli/<verb>.cpp). Every bad flag or setting ends here as one line on stderr
// and exit code 2.
#include <malloc.h>
#include <pthread.h>

#include <csignal>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <sstream>
#include <string>

#include "app/app.hpp"
#include "cli/verbs.hpp"
#include "core/config.hpp"
#include "core/errors.hpp"
#include "core/logging.hpp"
#include "core/version.hpp"
#include "history/git.hpp"

namespace mb = mentorbot;
using mb::cli::parse_args;

namespace {

constexpr const char* usage = R"(mentorbot — welcomes first-time contributors, gently.

Usage:
  mentorbot serve                                   answer GitHub webhooks (see README for settings)
  mentorbot replay FILE --event NAME [--dry-run] [--delivery ID] [--files FILES_JSON]
                                                    run one payload through the pipeline, no HTTP,
                                                    and print every GitHub write it makes
                                                    (--files: the PR's files as GitHub lists them)
  mentorbot render TEMPLATE [--data FILE] [--tone warm|concise|playful]
                                                    preview a template (a name, such as welcome,
                                                    or a .md file) with JSON data
  mentorbot render [TEMPLATE] --repo-dir PATH [--org-dir PATH] [--data FILE]
                                                    a template in a checkout's own words; without
                                                    TEMPLATE, the preview a pull request gets
  mentorbot check-config FILE                       check a .github/mentorbot.yml; problems are
                                                    printed as FILE:LINE:COLUMN: message
  mentorbot check-config --repo-dir PATH [--org-dir PATH]
                                                    check a checkout's .github/mentorbot.yml and
                                                    .github/mentorbot/ templates (--org-dir: the
                                                    org's .github checkout, for its tones)
  mentorbot inbox list [--failed | --all] [--limit N]
                                                    show deliveries not yet done (or failed, or all)
  mentorbot history REPO_DIR WHO                    first-contribution status of WHO (a login or an
                                                    email) from a local git repository's history
  mentorbot sprint create --name NAME --start TIME --end TIME (--repo OWNER/NAME ... | --org ORG)
                          [--slug SLUG] [--participant LOGIN ...]
                                                    a sprint (times in ISO 8601, e.g. 2026-11-22T09:00:00Z)
  mentorbot sprint list                             the sprints, with their coins so far
  mentorbot sprint export SLUG [--out FILE]         the sprint's awards as CSV, for the physical coins
  mentorbot backfill OWNER/REPO [--days 90] [--installation ID]
                                                    read the window's pull requests, reviews and
                                                    comments from GitHub into the pipeline's numbers
                                                    (resumable; twice gives the same)
  mentorbot report [--repo OWNER/NAME | --org ORG | --sprint SLUG] [--since DATE] [--until DATE]
                                                    the newcomer pipeline's numbers (the last 90
                                                    days unless told) as a Markdown table
  mentorbot manifest [--url URL]                    the GitHub App manifest for a server reached at
                                                    URL, for creating the App by hand (serve's /setup
                                                    page does it in two clicks)
  mentorbot --version
  mentorbot --help

Settings come from the environment: PORT, HOST, WEBHOOK_PATH, WEBHOOK_SECRET, APP_ID,
PRIVATE_KEY_PATH or PRIVATE_KEY, GHE_HOST, GHE_PROTOCOL, GH_ORG, LOG_LEVEL, LOG_FORMAT,
MENTORBOT_DATABASE, MENTORBOT_DATA_DIR, MENTORBOT_DRY_RUN, MENTORBOT_WRITE_INTERVAL_MS,
MENTORBOT_ADMIN_TOKEN, MENTORBOT_PUBLIC_URL, MENTORBOT_TEMPLATES, MENTORBOT_RULES.
)";

void register_secrets(const mb::ServerConfig& c) {
  if (c.webhook_secret) mb::redact_in_logs(*c.webhook_secret);
  if (c.private_key_pem) {
    std::istringstream lines(*c.private_key_pem);
    for (std::string line; std::getline(lines, line);) {
      if (!line.starts_with("-----")) mb::redact_in_logs(line);
    }
  }
  if (c.admin_token) mb::redact_in_logs(*c.admin_token);
}

}  // namespace

int main(int argc, char** argv) {
  std::string verb = argc > 1 ? argv[1] : "";
  if (verb == "serve") {
    // SIGTERM during start-up waits until `serve` can handle it (a clean stop, exit 0); every
    // thread started from here on keeps them blocked, so only the main thread takes them.
    auto stopping = mb::app::stop_signals();
    pthread_sigmask(SIG_BLOCK, &stopping, nullptr);
    // glibc gives each thread that allocates at once an arena of its own (up to 8 per core),
    // and each keeps what it freed: in the soak the server held as much free as in use (18 vs
    // 11 MiB) and its memory kept rising; two arenas held 3 MiB free. An operator's own
    // setting (MALLOC_ARENA_MAX, GLIBC_TUNABLES) wins.
    const char* tunables = std::getenv("GLIBC_TUNABLES");
    if (!std::getenv("MALLOC_ARENA_MAX") && !(tunables && std::strstr(tunables, "arena_max"))) mallopt(M_ARENA_MAX, 2);
  }
  mb::history::LibGit2 libgit2;
  if (verb.empty() || verb == "--help" || verb == "-h" || verb == "help") {
    std::cout << usage;
    return verb.empty() ? 2 : 0;
  }
  if (verb == "--version" || verb == "version") {
    std::cout << "mentorbot " << mb::version << "\n";
    return 0;
  }
  try {
    auto config = mb::ServerConfig::from_env(mb::process_env());
    mb::setup_logging(config.log_level, config.log_format);
    register_secrets(config);
    if (verb == "serve") return mb::cli::serve(config, parse_args(argc, argv, 2, {}, {}));
    if (verb == "replay") {
      return mb::cli::replay(config, parse_args(argc, argv, 2, {"--dry-run"}, {"--event", "--delivery", "--files"}));
    }
    if (verb == "render") {
      return mb::cli::render_template(parse_args(argc, argv, 2, {}, {"--data", "--tone", "--repo-dir", "--org-dir"}));
    }
    if (verb == "check-config") return mb::cli::check_config(parse_args(argc, argv, 2, {}, {"--repo-dir", "--org-dir"}));
    if (verb == "inbox") return mb::cli::inbox(config, parse_args(argc, argv, 2, {"--failed", "--all"}, {"--limit"}));
    if (verb == "history") return mb::cli::history(parse_args(argc, argv, 2, {}, {}));
    if (verb == "sprint") {
      return mb::cli::sprint(config, parse_args(argc, argv, 2, {},
                                       {"--name", "--slug", "--start", "--end", "--repo", "--org", "--participant", "--out"}));
    }
    if (verb == "backfill") return mb::cli::backfill(config, parse_args(argc, argv, 2, {}, {"--days", "--installation"}));
    if (verb == "report") {
      return mb::cli::report(config, parse_args(argc, argv, 2, {}, {"--repo", "--org", "--sprint", "--since", "--until"}));
    }
    if (verb == "manifest") return mb::cli::manifest(config, parse_args(argc, argv, 2, {}, {"--url"}));
    throw mb::ConfigError("unknown command \"" + verb + "\" (see mentorbot --help)");
  } catch (const mb::ConfigError& e) {
    std::cerr << "mentorbot: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "mentorbot: " << e.what() << "\n";
    return 1;
  }
}
