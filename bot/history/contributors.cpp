#include "history/contributors.hpp"

#include <spdlog/spdlog.h>

#include "core/clock.hpp"
#include "history/identity.hpp"
#include "store/authors.hpp"

namespace mentorbot::history {
namespace {

std::vector<store::authors::Identity> to_store(const std::vector<RawIdentity>& raw) {
  std::vector<store::authors::Identity> out;
  out.reserve(raw.size());
  for (const auto& r : raw) out.push_back({r.name, r.email, r.commits, r.first_commit_at});
  return out;
}

}  // namespace

Mailmap load_mailmap(git_repository* repo) {
  git_mailmap* raw = nullptr;
  if (git_mailmap_from_repository(&raw, repo) < 0) return Mailmap(nullptr);
  return Mailmap(raw);
}

// The id of .mailmap in the tree of `commit` ("" when there is none).
std::string mailmap_blob(git_repository* repo, const git_oid& commit) {
  git_commit* raw = nullptr;
  if (git_commit_lookup(&raw, repo, &commit) != 0) return {};
  Commit c(raw);
  git_tree* tree = nullptr;
  if (git_commit_tree(&tree, c.get()) != 0) return {};
  std::unique_ptr<git_tree, Free<git_tree_free>> owned(tree);
  const git_tree_entry* entry = git_tree_entry_byname(tree, ".mailmap");
  return entry ? oid_text(*git_tree_entry_id(entry)) : std::string();
}

IndexUpdate bring_up_to(Contributors::Indexed& indexed, git_repository* repo, const git_oid& tip) {
  IndexUpdate u;
  std::optional<git_oid> since;
  if (!indexed.tip.empty()) {
    auto old = oid_from(indexed.tip);
    if (git_oid_equal(&old, &tip)) return u;
    // A fast-forward counts only what is new; anything else (a force-push) counts again.
    if (git_graph_descendant_of(repo, &tip, &old) == 1) since = old;
  }
  u.full = !since;
  u.added = scan_authors(repo, tip, since ? &*since : nullptr, &u.commits);
  if (u.full || !indexed.index) {
    indexed.index = std::make_unique<AuthorIndex>(u.added, load_mailmap(repo));
  } else {
    // These commits may have changed .mailmap: then everyone is looked up again.
    if (mailmap_blob(repo, *since) != mailmap_blob(repo, tip)) indexed.index->remap(load_mailmap(repo));
    indexed.index->add(u.added);
  }
  indexed.tip = oid_text(tip);
  return u;
}

Contributors::Contributors(store::Store& store, Mirrors& mirrors, MergedPullRequests* api)
    : store_(store), mirrors_(mirrors), api_(api) {}

Contributors::Indexed& Contributors::indexed(const std::string& repo, git_repository* mirror, const git_oid& tip) {
  Indexed* entry;
  {
    std::lock_guard lock(mutex_);
    auto& slot = indexes_[repo];
    if (!slot) slot = std::make_unique<Indexed>();
    entry = slot.get();
  }
  std::lock_guard lock(entry->mutex);
  if (!entry->index) {
    // What an earlier run counted, so a restart does not rescan the history.
    auto saved = store_.read([&](store::Db& db) { return store::authors::load(db, repo); });
    if (saved) {
      std::vector<RawIdentity> raw;
      for (auto& i : saved->identities) raw.push_back({i.name, i.email, i.commits, i.first_commit_at});
      git_oid saved_tip = oid_from(saved->tip);
      git_commit* probe = nullptr;
      if (git_commit_lookup(&probe, mirror, &saved_tip) == 0) {
        git_commit_free(probe);
        entry->index = std::make_unique<AuthorIndex>(std::move(raw), load_mailmap(mirror));
        entry->tip = saved->tip;
      }
    }
  }
  auto started = std::chrono::steady_clock::now();
  auto update = bring_up_to(*entry, mirror, tip);
  if (update.commits > 0) {
    auto now = unix_ms();
    auto identities = to_store(update.added);
    store_.writes().run([&](store::Db& db) {
      if (update.full) {
        store::authors::replace(db, repo, entry->tip, identities, now);
      } else {
        store::authors::add(db, repo, entry->tip, identities, now);
      }
    });
    spdlog::info("author index of {}: {} {} commit(s) in {} ms ({} people)", repo, update.full ? "counted" : "added",
                 update.commits,
                 std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count(),
                 entry->index->authors().size());
  }
  return *entry;
}

Facts Contributors::pull_request_author(const AuthorQuery& q, int threshold) {
  Facts f;
  f.login = q.login;
  f.association = association_of(q.association);
  f.bot = q.bot;
  f.api_configured = api_ != nullptr;
  if (f.bot || is_maintainer(f.association)) {
    return f;  // settled without history
  }
  const auto& source = q.source;
  if (source.repo.empty() || source.clone_url.empty()) return f;  // history unavailable

  auto tip = mirrors_.sync(source, false);
  auto repo = mirrors_.lease(source.repo);
  auto& entry = indexed(source.repo, repo.get(), tip);
  {
    std::lock_guard lock(entry.mutex);
    const AuthorIndex& index = *entry.index;
    std::vector<const Author*> people;
    auto note = [&](const Author* a, const std::string& how) {
      if (!a || std::find(people.begin(), people.end(), a) != people.end()) return;
      people.push_back(a);
      if (!f.matched.empty()) f.matched += ", ";
      f.matched += how;
    };
    for (const auto& [name, email] : q.identities) note(index.find(name, email), "email " + lower(email));
    if (!f.login.empty()) note(index.find_login(f.login), "login " + lower(f.login));
    if (q.user_id) note(index.find_github_id(q.user_id), "GitHub id " + std::to_string(q.user_id));
    for (const auto* a : people) {
      f.history_commits += a->commits;
      if (a->first_commit_at && (!f.first_commit_at || a->first_commit_at < *f.first_commit_at)) {
        f.first_commit_at = a->first_commit_at;
      }
    }
  }
  f.history_available = true;
  // The API only when the history leaves the question open.
  if (api_ && f.history_commits <= threshold && !f.login.empty() && source.installation_id) {
    f.merged_prs = api_->count(*source.installation_id, source.repo, f.login);
  }
  return f;
}

void Contributors::default_branch_moved(const MirrorSource& source) {
  if (source.repo.empty() || source.clone_url.empty() || !mirrors_.exists(source.repo)) return;  // cloned when first needed
  auto tip = mirrors_.sync(source, true);
  auto repo = mirrors_.lease(source.repo);
  indexed(source.repo, repo.get(), tip);
}

}  // namespace mentorbot::history
