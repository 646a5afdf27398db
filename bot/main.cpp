// mentorbot: process wiring. Reads the environment and the command line, sets up logging, and
// runs one verb. Every bad flag or setting ends here as one line on stderr and exit code 2.
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include <openssl/rand.h>
#include <spdlog/spdlog.h>

#include "app/app.hpp"
#include "core/clock.hpp"
#include "core/config.hpp"
#include "core/errors.hpp"
#include "core/logging.hpp"
#include "core/version.hpp"
#include "core/webhook_secret.hpp"
#include "github/payload_scan.hpp"
#include "history/author_index.hpp"
#include "history/classify.hpp"
#include "history/contributors.hpp"
#include "history/git.hpp"
#include "history/identity.hpp"
#include "store/inbox.hpp"
#include "store/outbox.hpp"

#include <boost/json/parse.hpp>
#include "core/json.hpp"

namespace mb = mentorbot;

namespace {

constexpr const char* usage = R"(mentorbot — welcomes first-time contributors, gently.

Usage:
  mentorbot serve                                   answer GitHub webhooks (see README for settings)
  mentorbot replay FILE --event NAME [--dry-run] [--delivery ID]
                                                    run one payload through the pipeline, no HTTP
  mentorbot inbox list [--failed | --all] [--limit N]
                                                    show deliveries not yet done (or failed, or all)
  mentorbot history REPO_DIR WHO                    first-contribution status of WHO (a login or an
                                                    email) from a local git repository's history
  mentorbot --version
  mentorbot --help

Settings come from the environment: PORT, HOST, WEBHOOK_PATH, WEBHOOK_SECRET, APP_ID,
PRIVATE_KEY_PATH or PRIVATE_KEY, GHE_HOST, GHE_PROTOCOL, LOG_LEVEL, LOG_FORMAT,
MENTORBOT_DATABASE, MENTORBOT_DATA_DIR, MENTORBOT_DRY_RUN, MENTORBOT_WRITE_INTERVAL_MS.
)";

struct Args {
  std::vector<std::string> positional;
  std::vector<std::pair<std::string, std::string>> flags;  // name -> value ("" for switches)
};

// Splits argv into positional words and --flags. `with_value` lists the flags that take one.
Args parse_args(int argc, char** argv, int from, const std::vector<std::string>& switches,
                const std::vector<std::string>& with_value) {
  Args a;
  for (int i = from; i < argc; ++i) {
    std::string arg = argv[i];
    if (!arg.starts_with("--")) {
      a.positional.push_back(arg);
      continue;
    }
    auto eq = arg.find('=');
    std::string name = arg.substr(0, eq);
    bool takes_value = std::find(with_value.begin(), with_value.end(), name) != with_value.end();
    bool is_switch = std::find(switches.begin(), switches.end(), name) != switches.end();
    if (!takes_value && !is_switch) throw mb::ConfigError("unknown option " + name);
    if (is_switch) {
      if (eq != std::string::npos) throw mb::ConfigError(name + " takes no value");
      a.flags.emplace_back(name, "");
    } else if (eq != std::string::npos) {
      a.flags.emplace_back(name, arg.substr(eq + 1));
    } else {
      if (i + 1 >= argc) throw mb::ConfigError(name + " needs a value");
      a.flags.emplace_back(name, argv[++i]);
    }
  }
  return a;
}

std::optional<std::string> flag(const Args& a, const std::string& name) {
  for (const auto& [n, v] : a.flags) {
    if (n == name) return v;
  }
  return std::nullopt;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw mb::ConfigError("cannot read " + path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string random_id() {
  unsigned char raw[8];
  RAND_bytes(raw, sizeof raw);
  static constexpr char hex[] = "0123456789abcdef";
  std::string out;
  for (unsigned char b : raw) {
    out += hex[b >> 4];
    out += hex[b & 15];
  }
  return out;
}

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

int serve(const mb::ServerConfig& config, const Args& args) {
  if (!args.positional.empty()) throw mb::ConfigError("serve takes no arguments");
  std::string secret;
  if (config.webhook_secret) {
    secret = *config.webhook_secret;
  } else {
    auto made = mb::load_or_create_webhook_secret(config.data_dir);
    secret = made.value;
    mb::redact_in_logs(secret);
    spdlog::warn("==========================================================================");
    spdlog::warn("WEBHOOK_SECRET is not set. mentorbot {} a secret and keeps it in", made.created ? "generated" : "is using");
    spdlog::warn("  {}", made.file.string());
    spdlog::warn("Put that file's content in your GitHub App's \"Webhook secret\" field, or set");
    spdlog::warn("WEBHOOK_SECRET. Deliveries without a matching signature are refused (401).");
    spdlog::warn("==========================================================================");
  }
  if (config.dry_run()) {
    spdlog::warn("dry-run: {}; every GitHub write is logged and kept in the outbox, not sent",
                 config.force_dry_run ? "MENTORBOT_DRY_RUN=1" : "no APP_ID and private key given");
  }
  mb::app::App app(config, config.database);
  return app.serve(secret);
}

int replay(mb::ServerConfig config, const Args& args) {
  if (args.positional.size() != 1) throw mb::ConfigError("replay needs one FILE (see mentorbot --help)");
  auto event = flag(args, "--event");
  if (!event || event->empty()) throw mb::ConfigError("replay needs --event NAME (the X-GitHub-Event value)");
  bool dry_run = flag(args, "--dry-run").has_value();
  const std::string& file = args.positional[0];
  std::string body = read_file(file);
  auto scanned = mb::github::scan_payload(body);
  if (auto* error = std::get_if<mb::github::ScanError>(&scanned)) throw mb::ConfigError(file + ": " + error->reason);
  auto& facts = std::get<mb::github::PayloadFacts>(scanned);

  // A dry run works on a scratch store, so it leaves nothing behind that a real delivery would
  // later mistake for work already done.
  std::filesystem::path scratch;
  mb::DatabaseUrl database = config.database;
  if (dry_run) {
    config.force_dry_run = true;
    scratch = std::filesystem::temp_directory_path() / ("mentorbot-replay-" + random_id());
    std::filesystem::create_directories(scratch);
    database = {mb::DatabaseUrl::Kind::sqlite, (scratch / "replay.db").string()};
  }
  int code = 0;
  {
    mb::app::App app(config, database);
    mb::store::inbox::NewDelivery d;
    d.guid = flag(args, "--delivery").value_or("replay-" + random_id());
    d.event = *event;
    d.action = facts.action;
    d.installation_id = facts.installation_id;
    d.repo = facts.repo;
    d.number = facts.number;
    d.received_at = mb::unix_ms();
    auto inserted = mb::store::inbox::Inserted::duplicate;
    std::int64_t seq = 0;
    app.store().writes().run_with_payload(std::make_shared<const std::string>(body), mb::store::inbox::describe(d),
                                          [&](mb::store::Db& db, const mb::store::PayloadRef& ref) {
                                            inserted = mb::store::inbox::insert(db, d, ref);
                                            if (inserted == mb::store::inbox::Inserted::stored) {
                                              seq = db.last_insert_rowid();
                                            }
                                          });
    if (inserted == mb::store::inbox::Inserted::duplicate) {
      std::cout << "delivery " << d.guid << " was already received; nothing to do\n";
    } else {
      auto finished = app.dispatcher().run_one(seq);
      std::string name = *event + (facts.action ? "." + *facts.action : "");
      std::cout << "delivery " << d.guid << ": " << name << " -> " << finished.outcome;
      if (!finished.error.empty()) std::cout << " (" << finished.error << ")";
      std::cout << "\n";
      auto writes = app.store().read([&](mb::store::Db& db) { return mb::store::outbox::for_delivery(db, seq); });
      for (const auto& w : writes) {
        std::cout << (w.state == "dry-run" ? "would " : "queued: ") << w.kind << " on " << w.repo << "#" << w.number
                  << " [" << w.key << "]\n";
        auto text = mb::json_string(boost::json::parse(w.payload), {"body"});
        std::cout << (text ? *text : w.payload) << "\n\n";
      }
      if (writes.empty()) std::cout << "no GitHub writes\n";
      if (config.dry_run()) std::cout << "dry-run: nothing was sent to GitHub\n";
      code = finished.outcome == "failed" ? 1 : 0;
    }
  }
  if (!scratch.empty()) std::filesystem::remove_all(scratch);
  return code;
}

std::string when(std::int64_t ms) {
  std::time_t t = ms / 1000;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char out[32];
  std::strftime(out, sizeof out, "%Y-%m-%d %H:%M:%SZ", &tm);
  return out;
}

int inbox(const mb::ServerConfig& config, const Args& args) {
  if (args.positional.empty() || args.positional[0] != "list" || args.positional.size() > 1) {
    throw mb::ConfigError("usage: mentorbot inbox list [--failed | --all] [--limit N]");
  }
  bool failed = flag(args, "--failed").has_value();
  bool all = flag(args, "--all").has_value();
  if (failed && all) throw mb::ConfigError("choose one of --failed and --all");
  int limit = 100;
  if (auto l = flag(args, "--limit")) {
    try {
      limit = std::stoi(*l);
    } catch (...) {
      limit = -1;
    }
    if (limit < 1) throw mb::ConfigError("--limit must be a positive number, got \"" + *l + "\"");
  }
  auto store = mb::store::Store::open_read_only(config.database);
  auto filter = failed ? mb::store::inbox::Filter::failed : all ? mb::store::inbox::Filter::all : mb::store::inbox::Filter::open;
  auto rows = store->read([&](mb::store::Db& db) { return mb::store::inbox::list(db, filter, limit); });
  auto counts = store->read([&](mb::store::Db& db) { return mb::store::inbox::counts(db, true); });
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

int history(const Args& args) {
  if (args.positional.size() != 2) throw mb::ConfigError("usage: mentorbot history REPO_DIR WHO");
  const auto& dir = args.positional[0];
  const auto& who = args.positional[1];
  git_repository* raw = nullptr;
  if (git_repository_open_ext(&raw, dir.c_str(), GIT_REPOSITORY_OPEN_NO_SEARCH, nullptr) < 0) {
    throw mb::ConfigError(dir + " is not a git repository");
  }
  mb::history::Repository repo(raw);
  git_oid tip;
  if (git_reference_name_to_id(&tip, repo.get(), "HEAD") < 0) throw mb::ConfigError(dir + " has no commits on HEAD");
  git_reference* head = nullptr;
  std::string branch = "HEAD";
  if (git_repository_head(&head, repo.get()) == 0) {
    branch = git_reference_shorthand(head);
    git_reference_free(head);
  }
  auto started = std::chrono::steady_clock::now();
  std::size_t commits = 0;
  auto raw_identities = mb::history::scan_authors(repo.get(), tip, nullptr, &commits);
  mb::history::AuthorIndex index(std::move(raw_identities), mb::history::load_mailmap(repo.get()));
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count();

  const mb::history::Author* person = who.find('@') != std::string::npos ? index.find("", who) : index.find_login(who);
  mb::history::Facts facts;
  facts.login = who;
  facts.history_available = true;
  facts.history_commits = person ? person->commits : 0;
  facts.matched = person ? (who.find('@') != std::string::npos ? "email " : "login ") + mb::history::lower(who) : "";
  auto c = mb::history::classify(facts, 3);
  auto day = [](std::int64_t t) {
    std::time_t tt = t;
    std::tm tm{};
    gmtime_r(&tt, &tm);
    char out[16];
    std::strftime(out, sizeof out, "%Y-%m-%d", &tm);
    return std::string(out);
  };
  std::cout << "who: " << who << "\n";
  std::cout << "status: " << mb::history::to_string(c.status) << " (" << c.reason << "; newcomer threshold 3)\n";
  if (person) {
    std::cout << "person: " << person->name << " <" << person->email << ">\n";
    std::cout << "addresses:";
    for (std::size_t i = 0; i < person->emails.size(); ++i) std::cout << (i ? ", " : " ") << person->emails[i];
    std::cout << "\n";
    if (person->login) {
      std::cout << "login: " << *person->login;
      if (person->github_id) std::cout << " (GitHub id " << *person->github_id << ")";
      std::cout << "\n";
    }
    std::cout << "commits: " << person->commits << "\n";
    std::cout << "first commit: " << day(person->first_commit_at) << "\n";
  } else {
    std::cout << "no commit on " << branch << " by " << who << "\n";
  }
  std::cout << "history: " << branch << " at " << mb::history::oid_text(tip).substr(0, 12) << ", " << commits
            << " commits by " << index.authors().size() << " people, read in " << ms << " ms\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  mb::history::LibGit2 libgit2;
  std::string verb = argc > 1 ? argv[1] : "";
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
    if (verb == "serve") return serve(config, parse_args(argc, argv, 2, {}, {}));
    if (verb == "replay") return replay(config, parse_args(argc, argv, 2, {"--dry-run"}, {"--event", "--delivery"}));
    if (verb == "inbox") return inbox(config, parse_args(argc, argv, 2, {"--failed", "--all"}, {"--limit"}));
    if (verb == "history") return history(parse_args(argc, argv, 2, {}, {}));
    throw mb::ConfigError("unknown command \"" + verb + "\" (see mentorbot --help)");
  } catch (const mb::ConfigError& e) {
    std::cerr << "mentorbot: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "mentorbot: " << e.what() << "\n";
    return 1;
  }
}
