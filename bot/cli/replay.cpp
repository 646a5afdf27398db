// `mentorbot replay FILE --event NAME`: one payload through the pipeline a delivery takes (the
// door's checks, the store, the claim, the features, the bookkeeping), without HTTP; every
// GitHub write it plans is printed as a person reads it.

#include <filesystem>
#include <future>
#include <iostream>
#include <sstream>

#include <boost/json/parse.hpp>

#include "app/app.hpp"
#include "cli/verbs.hpp"
#include "core/clock.hpp"
#include "core/errors.hpp"
#include "core/overloaded.hpp"
#include "core/read_file.hpp"
#include "http/webhook_ingress.hpp"
#include "store/inbox.hpp"
#include "core/random.hpp"
#include "store/outbox.hpp"

namespace mentorbot::cli {
namespace {

// `--files`: the pull request's files from a file, as GitHub's API lists them.
class FilesFromJson final : public app::PullRequestLists {
 public:
  explicit FilesFromJson(const std::string& path) {
    boost::json::error_code ec;
    auto v = boost::json::parse(read_file_limited(path, file_limit::data), ec);
    if (ec || !v.is_array()) throw ConfigError(path + ": not a JSON list of files (GET /repos/…/pulls/N/files)");
    files_ = github::files_from_json(v);
  }
  std::vector<github::ChangedFile> files(std::int64_t, const std::string&, std::int64_t) override { return files_; }
  std::vector<github::PullCommit> commits(std::int64_t, const std::string&, std::int64_t) override { return {}; }

 private:
  std::vector<github::ChangedFile> files_;
};

void print_body(const std::string& body, const std::string& indent = "") {
  std::istringstream lines(body);
  for (std::string line; std::getline(lines, line);) std::cout << indent << line << "\n";
}

// One planned write as a person reads it: the words, and where inline comments go.
void print_write(const store::outbox::Write& w) {
  namespace outbox = store::outbox;
  std::visit(Overloaded{
                 [](const outbox::Comment& c) { print_body(c.body); },
                 [](const outbox::Review& r) {
                   print_body(r.body);
                   for (const auto& c : r.comments) {
                     std::cout << "\n  inline comment on " << c.path << " line " << c.line << " (" << c.side << "):\n";
                     print_body(c.body, "    ");
                   }
                 },
                 [](const outbox::CommentEdit& e) { print_body(e.body); },
                 [](const outbox::ReviewEdit& e) { print_body(e.body); },
                 [](const outbox::ReviewComment& r) {
                   print_body(r.comment.body);
                   std::cout << "  (on " << r.comment.path << " line " << r.comment.line << ")\n";
                 },
                 [](const outbox::Labels& l) {
                   std::cout << "labels:";
                   for (const auto& n : l.names) std::cout << " \"" << n << "\"";
                   std::cout << "\n";
                 },
                 [](const outbox::LabelUpsert& l) {
                   std::cout << "label \"" << l.name << "\", colour #" << l.color << ", \"" << l.description << "\"\n";
                 },
             },
             w.change);
  std::cout << "\n";
}

// Stores the delivery as the webhook door does; its sequence number, or nothing for one already received.
std::optional<std::int64_t> store_once(store::Store& store, http::Admitted admitted) {
  std::promise<std::exception_ptr> stored;
  auto inserted = store::inbox::Inserted::duplicate;
  auto guid = admitted.delivery.guid;
  store::inbox::store_delivery(store.writes(), std::move(admitted.delivery), std::move(admitted.payload),
                               [&](const store::inbox::NewDelivery&, std::exception_ptr error, store::inbox::Inserted i) {
                                 inserted = i;
                                 stored.set_value(error);
                               });
  if (auto error = stored.get_future().get()) std::rethrow_exception(error);
  if (inserted == store::inbox::Inserted::duplicate) return std::nullopt;
  return store.read([&](store::Db& db) { return store::inbox::find_delivery(db, guid); })->seq;
}

}  // namespace

int replay(ServerConfig config, const Args& args) {
  if (args.positional.size() != 1) throw ConfigError("replay needs one FILE (see mentorbot --help)");
  auto event = args.flag("--event");
  if (!event || event->empty()) throw ConfigError("replay needs --event NAME (the X-GitHub-Event value)");
  bool dry_run = args.flag("--dry-run").has_value();
  const std::string& file = args.positional[0];
  auto admitted = http::admit(*event, args.flag("--delivery").value_or("replay-" + random_id()), "application/json",
                              read_file_limited(file, file_limit::payload), unix_ms());
  if (auto* refusal = std::get_if<http::Refusal>(&admitted)) {
    throw ConfigError(file + ": the webhook door would refuse it: " + refusal->reason);
  }
  auto& delivery = std::get<http::Admitted>(admitted);

  std::unique_ptr<app::PullRequestLists> lists;
  if (auto files = args.flag("--files")) lists = std::make_unique<FilesFromJson>(*files);

  // A dry run works on a scratch store, so it leaves nothing behind that a real delivery would
  // later mistake for work already done.
  std::filesystem::path scratch;
  DatabaseUrl database = config.database;
  if (dry_run) {
    config.force_dry_run = true;
    scratch = std::filesystem::temp_directory_path() / ("mentorbot-replay-" + random_id());
    std::filesystem::create_directories(scratch);
    database = {DatabaseUrl::Kind::sqlite, (scratch / "replay.db").string()};
  }
  int code = 0;
  {
    app::App app(config, database, std::move(lists));
    auto guid = delivery.delivery.guid;
    auto name = *event + (delivery.delivery.action ? "." + *delivery.delivery.action : "");
    auto seq = store_once(app.store(), std::move(delivery));
    if (!seq) {
      std::cout << "delivery " << guid << " was already received; nothing to do\n";
    } else {
      auto finished = app.dispatcher().run_one(*seq);
      std::cout << "delivery " << guid << ": " << name << " -> " << store::inbox::to_string(finished.outcome);
      if (!finished.error.empty()) std::cout << " (" << finished.error << ")";
      std::cout << "\n";
      auto writes = app.store().read([&](store::Db& db) { return store::outbox::writes_of_delivery(db, *seq); });
      for (const auto& row : writes) {
        const auto& w = row.write;
        std::cout << (row.state == store::outbox::State::dry_run ? "would " : "queued: ")
                  << store::outbox::kind_of(w.change) << " on " << w.repo << "#" << w.number << " [" << w.key << "]\n";
        print_write(w);
      }
      if (writes.empty()) std::cout << "no GitHub writes\n";
      if (config.dry_run()) std::cout << "dry-run: nothing was sent to GitHub\n";
      code = finished.outcome == store::inbox::Outcome::failed ? 1 : 0;
    }
  }
  if (!scratch.empty()) std::filesystem::remove_all(scratch);
  return code;
}

}  // namespace mentorbot::cli
