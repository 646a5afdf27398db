// mentorbot: process wiring. Reads the environment and the command line, sets up logging, and
// runs one verb. Every bad flag or setting ends here as one line on stderr and exit code 2.
#include <pthread.h>
#include <unistd.h>

#include <csignal>

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
#include "app/pull_request_reader.hpp"
#include "core/clock.hpp"
#include "core/config.hpp"
#include "core/errors.hpp"
#include "core/logging.hpp"
#include "core/repo_config.hpp"
#include "core/version.hpp"
#include "core/time.hpp"
#include "core/webhook_secret.hpp"
#include "features/coins/leaderboard.hpp"
#include "github/payload_scan.hpp"
#include "history/author_index.hpp"
#include "history/classify.hpp"
#include "history/contributors.hpp"
#include "history/git.hpp"
#include "history/identity.hpp"
#include "render/templates.hpp"
#include "store/coins.hpp"
#include "store/inbox.hpp"
#include "store/migrations.hpp"
#include "store/outbox.hpp"

#include <boost/json/parse.hpp>
#include "core/json.hpp"

namespace mb = mentorbot;

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
  mentorbot check-config FILE                       check a .github/mentorbot.yml; problems are
                                                    printed as FILE:LINE:COLUMN: message
  mentorbot inbox list [--failed | --all] [--limit N]
                                                    show deliveries not yet done (or failed, or all)
  mentorbot history REPO_DIR WHO                    first-contribution status of WHO (a login or an
                                                    email) from a local git repository's history
  mentorbot sprint create --name NAME --start TIME --end TIME (--repo OWNER/NAME ... | --org ORG)
                          [--slug SLUG] [--participant LOGIN ...]
                                                    a sprint (times in ISO 8601, e.g. 2026-11-22T09:00:00Z)
  mentorbot sprint list                             the sprints, with their coins so far
  mentorbot sprint export SLUG [--out FILE]         the sprint's awards as CSV, for the physical coins
  mentorbot --version
  mentorbot --help

Settings come from the environment: PORT, HOST, WEBHOOK_PATH, WEBHOOK_SECRET, APP_ID,
PRIVATE_KEY_PATH or PRIVATE_KEY, GHE_HOST, GHE_PROTOCOL, LOG_LEVEL, LOG_FORMAT,
MENTORBOT_DATABASE, MENTORBOT_DATA_DIR, MENTORBOT_DRY_RUN, MENTORBOT_WRITE_INTERVAL_MS,
MENTORBOT_ADMIN_TOKEN, MENTORBOT_PUBLIC_URL, MENTORBOT_TEMPLATES, MENTORBOT_RULES.
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

// `replay --files`: the pull request's files from a file, as GitHub's API lists them.
class FilesFromJson final : public mb::features::PullRequestReader {
 public:
  explicit FilesFromJson(const std::string& path) {
    boost::json::error_code ec;
    auto v = boost::json::parse(read_file(path), ec);
    if (ec || !v.is_array()) throw mb::ConfigError(path + ": not a JSON list of files (GET /repos/…/pulls/N/files)");
    files_ = mb::app::files_from_json(v);
  }
  std::vector<mb::features::review::ChangedFile> files(std::int64_t, const std::string&, std::int64_t) override {
    return files_;
  }
  std::vector<mb::features::review::Commit> commits(std::int64_t, const std::string&, std::int64_t) override {
    return {};
  }

 private:
  std::vector<mb::features::review::ChangedFile> files_;
};

// One planned write as a person reads it: the words, and where inline comments go.
void print_write(const mb::store::outbox::Row& w) {
  auto payload = boost::json::parse(w.payload);
  if (auto body = mb::json_string(payload, {"body"})) std::cout << *body << "\n";
  if (auto path = mb::json_string(payload, {"path"})) {
    std::cout << "  (on " << *path << " line " << mb::json_int(payload, {"line"}).value_or(0) << ")\n";
  }
  if (const auto* comments = mb::json_find(payload, {"comments"}); comments && comments->is_array()) {
    for (const auto& c : comments->as_array()) {
      std::cout << "\n  inline comment on " << mb::json_string(c, {"path"}).value_or("?") << " line "
                << mb::json_int(c, {"line"}).value_or(0) << " (" << mb::json_string(c, {"side"}).value_or("RIGHT")
                << "):\n";
      std::istringstream lines(mb::json_string(c, {"body"}).value_or(""));
      for (std::string line; std::getline(lines, line);) std::cout << "    " << line << "\n";
    }
  }
  if (const auto* labels = mb::json_find(payload, {"labels"}); labels && labels->is_array()) {
    std::cout << "labels:";
    for (const auto& l : labels->as_array()) {
      if (l.is_string()) std::cout << " \"" << std::string(l.get_string()) << "\"";
    }
    std::cout << "\n";
  }
  if (w.kind == "label_ensure") {
    std::cout << "label \"" << mb::json_string(payload, {"name"}).value_or("") << "\", colour #"
              << mb::json_string(payload, {"color"}).value_or("") << ", \""
              << mb::json_string(payload, {"description"}).value_or("") << "\"\n";
  }
  std::cout << "\n";
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
  std::unique_ptr<mb::features::PullRequestReader> reader;
  if (auto files = flag(args, "--files")) reader = std::make_unique<FilesFromJson>(*files);

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
    mb::app::App app(config, database, std::move(reader));
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
        print_write(w);
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

// Example values for `mentorbot render` without --data: a first-time contributor's PR.
constexpr const char* sample_data = R"({
  "author": "octocat", "repo": "octo-org/hello-world",
  "pr": {"number": "42", "title": "Fix the typo in the README"},
  "status": "first_time_contributor", "is_first_time_contributor": true,
  "noticed": true, "noticed_docs": true,
  "coins": "1", "coin_name": "challenge coin", "badge_url": "https://mentorbot.example/badges/octocat.svg",
  "good_first_issues_url": "https://github.com/octo-org/hello-world/contribute",
  "reviewers": "@octo-org/mentors", "days": "7", "for_newcomer": true,
  "notes": [{"rule": "no-description", "message": "The description is empty for now."}],
  "inline_count": "1", "one_inline": true,
  "message": "It looks like `console.log('here')` may be left over from debugging.",
  "question": "What were you looking for when you added it, and did you find it?",
  "questions": ["One question for you, if you have a moment. What did you try first?"]
})";

int render_template(const Args& args) {
  if (args.positional.size() != 1) {
    throw mb::ConfigError("usage: mentorbot render TEMPLATE [--data FILE] [--tone warm|concise|playful]");
  }
  const auto& name = args.positional[0];
  std::string json_text = sample_data;
  if (auto data = flag(args, "--data")) json_text = read_file(*data);
  boost::json::error_code ec;
  auto json = boost::json::parse(json_text, ec);
  if (ec || !json.is_object()) throw mb::ConfigError("--data must name a file holding a JSON object");
  auto data = mb::render::from_json(json);
  std::string tone = flag(args, "--tone").value_or("warm");
  if (std::find(std::begin(mb::render::tones), std::end(mb::render::tones), tone) == std::end(mb::render::tones)) {
    throw mb::ConfigError("--tone must be warm, concise or playful");
  }
  if (std::filesystem::is_regular_file(name)) {
    std::cout << mb::render::render_source(read_file(name), data, name) << "\n";
    return 0;
  }
  auto templates = mb::render::Templates::load(mb::render::Templates::locate());
  if (!templates.has(tone, name)) {
    std::string names;
    for (const char* n : mb::render::template_names) names += std::string(names.empty() ? "" : ", ") + n;
    throw mb::ConfigError("no template \"" + name + "\" (the names are " + names + ", or give a file)");
  }
  std::cout << templates.render(tone, name, data) << "\n";
  return 0;
}

int check_config(const Args& args) {
  if (args.positional.size() != 1) throw mb::ConfigError("usage: mentorbot check-config FILE");
  const auto& file = args.positional[0];
  auto parsed = mb::parse_repo_config(read_file(file));
  for (const auto& p : parsed.problems) {
    std::cout << file << ":" << p.line << ":" << p.column << ": " << p.message << "\n";
  }
  if (!parsed.problems.empty()) {
    std::cout << parsed.problems.size() << " problem(s); until they are fixed mentorbot uses its defaults for "
              << "this repository\n";
    return 1;
  }
  const auto& c = parsed.config;
  std::cout << file << ": ok (tone " << c.tone << ", newcomer threshold " << c.newcomer_threshold
            << ", nudge after " << c.nudge_after_days << " days, up to " << c.max_suggestions
            << " suggestions for newcomers, " << c.extra_rules.size() << " extra rule(s), " << c.disabled_rules.size()
            << " rule(s) switched off";
  if (c.extends) std::cout << "; extends " << *c.extends << ", which is checked when it is read";
  std::cout << ")\n";
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

std::vector<std::string> flags_named(const Args& a, const std::string& name) {
  std::vector<std::string> out;
  for (const auto& [n, v] : a.flags) {
    if (n == name) out.push_back(v);
  }
  return out;
}

int sprint(const mb::ServerConfig& config, const Args& args) {
  namespace json = boost::json;
  std::string what = args.positional.empty() ? "" : args.positional[0];
  if (what == "create" && args.positional.size() == 1) {
    // The same checks as the admin API: the flags become its JSON.
    json::object o;
    if (auto v = flag(args, "--name")) o["name"] = *v;
    if (auto v = flag(args, "--slug")) o["slug"] = *v;
    if (auto v = flag(args, "--start")) o["starts_at"] = *v;
    if (auto v = flag(args, "--end")) o["ends_at"] = *v;
    if (auto v = flag(args, "--org")) o["org"] = *v;
    json::array repos, participants;
    for (const auto& r : flags_named(args, "--repo")) repos.emplace_back(r);
    for (const auto& p : flags_named(args, "--participant")) participants.emplace_back(p);
    if (!repos.empty()) o["repos"] = repos;
    if (!participants.empty()) o["participants"] = participants;
    mb::store::coins::Sprint s;
    try {
      s = mb::features::coins::sprint_from_json(o, mb::unix_ms());
    } catch (const mb::features::coins::SprintError& e) {
      throw mb::ConfigError(std::string(e.what()) + " (flags: --name, --start, --end, --repo or --org)");
    }
    // One row through a connection of its own, so this works while `mentorbot serve` runs.
    if (config.database.kind != mb::DatabaseUrl::Kind::sqlite) {
      throw mb::ConfigError("MENTORBOT_DATABASE: this build stores in SQLite only; use sqlite:PATH");
    }
    if (!std::filesystem::exists(config.database.target)) mb::store::Store::open(config.database)->close();
    mb::store::Db db(config.database.target, mb::store::Db::Mode::read_write);
    mb::store::migrate(db);
    mb::store::Txn txn(db);
    bool created = mb::store::coins::create_sprint(db, s);
    txn.commit();
    if (!created) {
      std::cerr << "mentorbot: a sprint with the slug \"" << s.slug << "\" exists (choose another with --slug)\n";
      return 1;
    }
    std::cout << "sprint " << s.slug << " created: " << s.name << ", " << mb::format_iso8601(s.starts_at) << " to "
              << mb::format_iso8601(s.ends_at) << "\nits screen: /sprints/" << s.slug << "\n";
    return 0;
  }
  if (what == "list" && args.positional.size() == 1) {
    auto store = mb::store::Store::open_read_only(config.database);
    auto now = mb::unix_ms();
    store->read([&](mb::store::Db& db) {
      auto list = mb::store::coins::sprints(db);
      if (list.empty()) std::cout << "no sprints yet (see mentorbot --help: sprint create)\n";
      for (const auto& s : list) {
        auto awards = mb::store::coins::awards(db, s);
        std::string scope = s.org.empty() ? "" : "every repository of " + s.org;
        for (const auto& r : s.repos) scope += (scope.empty() ? "" : ", ") + r;
        std::cout << s.slug << "  " << s.name << "  " << mb::format_iso8601(s.starts_at) << " to "
                  << mb::format_iso8601(s.ends_at)
                  << (s.starts_at <= now && now < s.ends_at ? "  (running)" : now < s.starts_at ? "  (upcoming)" : "")
                  << "  " << scope << "  " << awards.size() << " coin(s)\n";
      }
    });
    return 0;
  }
  if (what == "export" && args.positional.size() == 2) {
    auto store = mb::store::Store::open_read_only(config.database);
    auto csv = store->read([&](mb::store::Db& db) -> std::optional<std::string> {
      auto s = mb::store::coins::find_sprint(db, args.positional[1]);
      if (!s) return std::nullopt;
      return mb::features::coins::to_csv(mb::store::coins::awards(db, s));
    });
    if (!csv) throw mb::ConfigError("no sprint \"" + args.positional[1] + "\" (mentorbot sprint list)");
    if (auto out = flag(args, "--out")) {
      std::ofstream file(*out, std::ios::binary);
      file << *csv;
      if (!file) throw mb::ConfigError("cannot write " + *out);
    } else {
      std::cout << *csv;
    }
    return 0;
  }
  throw mb::ConfigError("usage: mentorbot sprint create|list|export (see mentorbot --help)");
}

}  // namespace

int main(int argc, char** argv) {
  std::string verb = argc > 1 ? argv[1] : "";
  if (verb == "serve") {
    // SIGTERM during start-up waits until `serve` can handle it (a clean stop, exit 0); every
    // thread started from here on keeps them blocked, so only the main thread takes them.
    auto stopping = mb::app::stop_signals();
    pthread_sigmask(SIG_BLOCK, &stopping, nullptr);
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
    if (verb == "serve") return serve(config, parse_args(argc, argv, 2, {}, {}));
    if (verb == "replay") {
      return replay(config, parse_args(argc, argv, 2, {"--dry-run"}, {"--event", "--delivery", "--files"}));
    }
    if (verb == "render") return render_template(parse_args(argc, argv, 2, {}, {"--data", "--tone"}));
    if (verb == "check-config") return check_config(parse_args(argc, argv, 2, {}, {}));
    if (verb == "inbox") return inbox(config, parse_args(argc, argv, 2, {"--failed", "--all"}, {"--limit"}));
    if (verb == "history") return history(parse_args(argc, argv, 2, {}, {}));
    if (verb == "sprint") {
      return sprint(config, parse_args(argc, argv, 2, {},
                                       {"--name", "--slug", "--start", "--end", "--repo", "--org", "--participant", "--out"}));
    }
    throw mb::ConfigError("unknown command \"" + verb + "\" (see mentorbot --help)");
  } catch (const mb::ConfigError& e) {
    std::cerr << "mentorbot: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "mentorbot: " << e.what() << "\n";
    return 1;
  }
}
