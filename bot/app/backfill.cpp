#include "app/backfill.hpp"

#include <algorithm>
#include <fstream>
#include <thread>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "core/clock.hpp"
#include "core/json.hpp"
#include "core/read_file.hpp"
#include "core/time.hpp"
#include "features/pipeline/backfill.hpp"
#include "store/pipeline.hpp"

namespace mentorbot::app {
namespace {

namespace json = boost::json;
namespace pl = features::pipeline;
constexpr std::int64_t day_ms = 24LL * 3600 * 1000;

std::optional<std::int64_t> time_at(const json::value& v, std::initializer_list<std::string_view> path) {
  auto text = json_string(v, path);
  return text ? parse_iso8601_ms(*text) : std::nullopt;
}

// A GET, waiting out any rate limit (the client waits out short ones itself).
template <typename Call>
auto patiently(Call call, const std::function<void(const std::string&)>& say) {
  for (;;) {
    try {
      return call();
    } catch (const github::RateLimited& e) {
      auto wait = std::max<std::int64_t>(1000, e.retry_at_ms - unix_ms());
      say("GitHub's rate limit: waiting until " + format_iso8601(e.retry_at_ms) + " (" + e.what() + ")");
      std::this_thread::sleep_for(std::chrono::milliseconds(wait));
    }
  }
}

pl::PastPullRequest past_of(const json::value& pull, const std::string& repo) {
  pl::PastPullRequest pr;
  pr.repo = repo;
  pr.number = json_int(pull, {"number"}).value_or(0);
  pr.author = json_string(pull, {"user", "login"}).value_or("");
  pr.author_is_bot = json_string(pull, {"user", "type"}).value_or("") == "Bot";
  pr.association = json_string(pull, {"author_association"}).value_or("");
  pr.title = json_string(pull, {"title"}).value_or("");
  pr.draft = json_bool(pull, {"draft"}).value_or(false);
  pr.created_at = time_at(pull, {"created_at"}).value_or(0);
  pr.merged_at = time_at(pull, {"merged_at"});
  pr.closed_at = time_at(pull, {"closed_at"});
  return pr;
}

pl::Actor actor(const json::value& item, const std::string& author) {
  return pl::actor_of(json_string(item, {"user", "type"}).value_or("") == "Bot",
                      json_string(item, {"user", "login"}).value_or(""),
                      json_string(item, {"author_association"}).value_or(""), author);
}

// Its reviews and comments, as the steps the webhooks would have been.
void add_history(github::Client& client, std::int64_t installation, pl::PastPullRequest& pr,
                 const std::function<void(const std::string&)>& say) {
  auto base = "/repos/" + pr.repo;
  auto n = std::to_string(pr.number);
  auto reviews = patiently([&] { return client.get_all(installation, base + "/pulls/" + n + "/reviews"); }, say);
  for (const auto& r : reviews) {
    auto state = json_string(r, {"state"}).value_or("");
    auto at = time_at(r, {"submitted_at"});
    if (!at || state == "PENDING" || state == "DISMISSED") continue;
    auto what = state == "APPROVED"            ? pl::Happening::approved
                 : state == "CHANGES_REQUESTED" ? pl::Happening::changes_requested
                                                : pl::Happening::commented;
    pr.steps.push_back({what, actor(r, pr.author), *at});
  }
  for (const char* kind : {"/issues/", "/pulls/"}) {
    auto comments = patiently([&] { return client.get_all(installation, base + kind + n + "/comments"); }, say);
    for (const auto& c : comments) {
      if (auto at = time_at(c, {"created_at"})) pr.steps.push_back({pl::Happening::commented, actor(c, pr.author), *at});
    }
  }
}

// How far an earlier run got: the (created_at, number) of the last pull request it saved.
struct Checkpoint {
  std::string repo;
  std::int64_t since_ms = 0;
  std::int64_t created_at = -1;
  std::int64_t number = 0;
};

std::optional<Checkpoint> read_checkpoint(const std::filesystem::path& file) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(file, ec)) return std::nullopt;
  auto v = json::parse(read_file_limited(file.string(), 64 * 1024), ec);
  if (ec) return std::nullopt;
  Checkpoint c{json_string(v, {"repo"}).value_or(""), json_int(v, {"since_ms"}).value_or(0),
               json_int(v, {"created_at"}).value_or(-1), json_int(v, {"number"}).value_or(0)};
  return c;
}

void write_checkpoint(const std::filesystem::path& file, const Checkpoint& c) {
  std::filesystem::create_directories(file.parent_path());
  auto tmp = file;
  tmp += ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << json::serialize(json::object{{"repo", c.repo}, {"since_ms", c.since_ms}, {"created_at", c.created_at},
                                        {"number", c.number}});
  }
  std::filesystem::rename(tmp, file);
}

}  // namespace

std::optional<std::int64_t> known_installation(store::Store& store, const std::string& repo) {
  return store.read([&](store::Db& db) -> std::optional<std::int64_t> {
    store::Stmt s = db.prepare(
        "SELECT installation_id FROM deliveries WHERE lower(repo) = lower($1) AND installation_id IS NOT NULL"
        " ORDER BY seq DESC LIMIT 1");
    s.bind(1, repo);
    if (!s.step()) return std::nullopt;
    std::int64_t id = 0;
    s.columns(id);
    return id;
  });
}

BackfillReport backfill(github::Client& client, store::Store& store, const BackfillOptions& o,
                        const std::function<void(const std::string&)>& say) {
  BackfillReport report;
  auto since = o.now_ms - o.days * day_ms;
  auto checkpoint = read_checkpoint(o.checkpoint);
  if (checkpoint && (checkpoint->repo != o.repo || checkpoint->since_ms > since)) checkpoint.reset();
  if (checkpoint) since = checkpoint->since_ms;  // the same window as the run it goes on from

  // Every pull request opened in the window, newest first, page by page, until an older one.
  std::vector<pl::PastPullRequest> prs;
  std::string target = "/repos/" + o.repo + "/pulls?state=all&sort=created&direction=desc&per_page=100";
  for (int page = 0; !target.empty() && page < 1000; ++page) {
    auto r = patiently([&] { return client.get(o.installation, target); }, say);
    bool older = false;
    if (const auto* list = r.body.if_array()) {
      for (const auto& pull : *list) {
        auto pr = past_of(pull, o.repo);
        if (pr.created_at < since) {
          older = true;
          continue;
        }
        prs.push_back(std::move(pr));
      }
    }
    target = older ? "" : r.next;
  }
  report.listed = static_cast<std::int64_t>(prs.size());
  auto newcomer = pl::newcomers(prs, o.newcomer_threshold);
  std::vector<std::size_t> order(prs.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return std::tie(prs[a].created_at, prs[a].number) < std::tie(prs[b].created_at, prs[b].number);
  });
  say("backfill of " + o.repo + ": " + std::to_string(prs.size()) + " pull request(s) opened since " +
      format_iso8601(since) + (checkpoint ? ", going on from where the last run stopped" : ""));

  Checkpoint done{o.repo, since, -1, 0};
  if (checkpoint) done = *checkpoint;
  for (auto i : order) {
    auto& pr = prs[i];
    if (std::tie(pr.created_at, pr.number) <= std::tie(done.created_at, done.number)) {
      ++report.skipped;
      continue;
    }
    add_history(client, o.installation, pr, say);
    auto row = pl::replayed(pr, newcomer[i], o.installation);
    if (row) {
      store.writes().run([&](store::Db& db) {
        store::pipeline::save(db, pl::merged_with(*row, store::pipeline::find(db, row->repo, row->number)));
      });
      ++report.saved;
      if (row->newcomer) ++report.newcomers;
    }
    done.created_at = pr.created_at;
    done.number = pr.number;
    write_checkpoint(o.checkpoint, done);
  }
  std::error_code ec;
  std::filesystem::remove(o.checkpoint, ec);  // finished: the next run starts afresh
  return report;
}

}  // namespace mentorbot::app
