#include "history/author_index.hpp"

#include <git2/sys/odb_backend.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <thread>
#include <unordered_set>

#include "history/identity.hpp"

namespace mentorbot::history {
namespace {

struct OidHash {
  std::size_t operator()(const git_oid& o) const noexcept {
    std::size_t h;
    std::memcpy(&h, o.id, sizeof h);
    return h;
  }
};
struct OidEq {
  bool operator()(const git_oid& a, const git_oid& b) const noexcept { return git_oid_equal(&a, &b); }
};

struct Tally {
  std::int64_t commits = 0;
  std::int64_t first = 0;
};

std::string key_of(std::string_view name, std::string_view email) {
  std::string k(name);
  k += '\0';
  k += lower(email);
  return k;
}

}  // namespace

namespace {

// Identities of a set of commits, counted as written.
class Tallies {
 public:
  void count(std::string_view raw_commit) {
    auto author = parse_author(raw_commit);
    if (!author) return;
    key_.assign(author->name);
    key_ += '\0';
    key_ += author->email;
    auto [it, fresh] = tallies_.try_emplace(key_);
    if (fresh) order_.push_back(key_);
    auto& t = it->second;
    ++t.commits;
    if (t.first == 0 || author->time < t.first) t.first = author->time;
  }
  void merge(const Tallies& other) {
    for (const auto& k : other.order_) {
      const auto& t = other.tallies_.at(k);
      auto [it, fresh] = tallies_.try_emplace(k);
      if (fresh) order_.push_back(k);
      it->second.commits += t.commits;
      if (it->second.first == 0 || (t.first && t.first < it->second.first)) it->second.first = t.first;
    }
  }
  std::vector<RawIdentity> result() const {
    std::vector<RawIdentity> out;
    out.reserve(order_.size());
    for (const auto& k : order_) {
      auto zero = k.find('\0');
      const auto& t = tallies_.at(k);
      out.push_back({k.substr(0, zero), k.substr(zero + 1), t.commits, t.first});
    }
    return out;
  }

 private:
  std::unordered_map<std::string, Tally> tallies_;
  std::vector<std::string> order_;
  std::string key_;
};

Odb odb_of(git_repository* repo) {
  git_odb* raw = nullptr;
  git_check(git_repository_odb(&raw, repo), "odb");
  return Odb(raw);
}

// Reads one commit object raw; an empty view for anything that is not a commit.
std::string_view read_commit(git_odb* odb, const git_oid& oid, OdbObject& holder) {
  git_odb_object* raw = nullptr;
  git_check(git_odb_read(&raw, odb, &oid), "read commit " + oid_text(oid));
  holder.reset(raw);
  if (git_odb_object_type(raw) != GIT_OBJECT_COMMIT) return {};
  return {static_cast<const char*>(git_odb_object_data(raw)), git_odb_object_size(raw)};
}

bool has_commit_graph(git_repository* repo) {
  std::error_code ec;
  return std::filesystem::exists(std::filesystem::path(git_repository_path(repo)) / "objects/info/commit-graph", ec);
}

// Without a commit-graph, finding a commit's parents means reading it: one pass does both.
std::vector<RawIdentity> scan_by_reading(git_repository* repo, const git_oid& tip, std::size_t* seen_count) {
  auto odb = odb_of(repo);
  std::unordered_set<git_oid, OidHash, OidEq> seen;
  seen.reserve(1 << 18);
  std::vector<git_oid> stack{tip};
  seen.insert(tip);
  Tallies tallies;
  std::size_t count = 0;
  OdbObject object;
  while (!stack.empty()) {
    git_oid oid = stack.back();
    stack.pop_back();
    auto data = read_commit(odb.get(), oid, object);
    if (data.empty()) continue;
    ++count;
    for_each_parent(data, [&](std::string_view hex) {
      git_oid parent;
      if (git_oid_fromstrn(&parent, hex.data(), std::min<std::size_t>(hex.size(), GIT_OID_HEXSZ)) == 0 &&
          seen.insert(parent).second) {
        stack.push_back(parent);
      }
    });
    tallies.count(data);
  }
  if (seen_count) *seen_count = count;
  return tallies.result();
}

// With a commit-graph (or for the few commits a push adds) the walk is cheap: list the commits,
// then read them on several threads, each with its own repository handle.
std::vector<RawIdentity> scan_by_walking(git_repository* repo, const git_oid& tip, const git_oid* since,
                                         unsigned threads, std::size_t* seen_count) {
  git_revwalk* raw_walk = nullptr;
  git_check(git_revwalk_new(&raw_walk, repo), "revwalk");
  Revwalk walk(raw_walk);
  git_check(git_revwalk_push(walk.get(), &tip), "revwalk push");
  if (since) git_check(git_revwalk_hide(walk.get(), since), "revwalk hide");
  std::vector<git_oid> commits;
  git_oid oid;
  while (git_revwalk_next(&oid, walk.get()) == 0) commits.push_back(oid);
  if (seen_count) *seen_count = commits.size();

  if (commits.size() < 20'000) threads = 1;  // a thread per handful of commits costs more than it saves
  std::vector<Tallies> parts(std::max(1u, threads));
  auto read_range = [&](unsigned part, git_odb* odb) {
    OdbObject object;
    std::size_t lo = commits.size() * part / parts.size(), hi = commits.size() * (part + 1) / parts.size();
    for (std::size_t i = lo; i < hi; ++i) {
      auto data = read_commit(odb, commits[i], object);
      if (!data.empty()) parts[part].count(data);
    }
  };
  if (parts.size() == 1) {
    auto odb = odb_of(repo);
    read_range(0, odb.get());
  } else {
    std::vector<std::thread> workers;
    std::vector<std::exception_ptr> errors(parts.size());
    std::string path = git_repository_path(repo);
    for (unsigned p = 0; p < parts.size(); ++p) {
      workers.emplace_back([&, p] {
        try {
          auto own = open_repository(path);  // libgit2 handles are not shared across threads
          auto odb = odb_of(own.get());
          read_range(p, odb.get());
        } catch (...) {
          errors[p] = std::current_exception();
        }
      });
    }
    for (auto& w : workers) w.join();
    for (auto& e : errors) {
      if (e) std::rethrow_exception(e);
    }
  }
  for (std::size_t p = 1; p < parts.size(); ++p) parts[0].merge(parts[p]);
  return parts[0].result();
}

}  // namespace

std::vector<RawIdentity> scan_authors(git_repository* repo, const git_oid& tip, const git_oid* since,
                                      std::size_t* commits_seen, unsigned threads) {
  if (!since && !has_commit_graph(repo)) return scan_by_reading(repo, tip, commits_seen);
  return scan_by_walking(repo, tip, since, threads, commits_seen);
}

AuthorIndex::AuthorIndex(std::vector<RawIdentity> raw, Mailmap mailmap) : mailmap_(std::move(mailmap)) {
  add(raw);
}

void AuthorIndex::add(const std::vector<RawIdentity>& more) {
  for (const auto& r : more) {
    auto key = key_of(r.name, r.email);
    auto [it, fresh] = raw_slot_.try_emplace(key, raw_.size());
    if (fresh) {
      raw_.push_back(r);
      continue;
    }
    auto& existing = raw_[it->second];
    existing.commits += r.commits;
    if (r.first_commit_at && (existing.first_commit_at == 0 || r.first_commit_at < existing.first_commit_at)) {
      existing.first_commit_at = r.first_commit_at;
    }
  }
  rebuild();
}

std::pair<std::string, std::string> AuthorIndex::canonical(std::string_view name, std::string_view email) const {
  if (mailmap_) {
    const char* real_name = nullptr;
    const char* real_email = nullptr;
    std::string n(name), e(email);
    if (git_mailmap_resolve(&real_name, &real_email, mailmap_.get(), n.c_str(), e.c_str()) == 0) {
      return {real_name ? real_name : n, lower(real_email ? real_email : e)};
    }
  }
  return {std::string(name), lower(email)};
}

// .mailmap is applied once per distinct identity, not once per commit.
void AuthorIndex::rebuild() {
  authors_.clear();
  by_email_.clear();
  by_login_.clear();
  by_id_.clear();
  std::unordered_map<std::string, std::size_t> by_canonical;
  for (const auto& r : raw_) {
    auto [name, email] = canonical(r.name, r.email);
    auto [it, fresh] = by_canonical.try_emplace(email, authors_.size());
    if (fresh) {
      Author a;
      a.name = name;
      a.email = email;
      authors_.push_back(std::move(a));
    }
    auto& a = authors_[it->second];
    a.commits += r.commits;
    if (r.first_commit_at && (a.first_commit_at == 0 || r.first_commit_at < a.first_commit_at)) {
      a.first_commit_at = r.first_commit_at;
    }
    auto raw_email = lower(r.email);
    if (std::find(a.emails.begin(), a.emails.end(), raw_email) == a.emails.end()) a.emails.push_back(raw_email);
    if (std::find(a.emails.begin(), a.emails.end(), email) == a.emails.end()) a.emails.push_back(email);
  }
  for (std::size_t i = 0; i < authors_.size(); ++i) {
    auto& a = authors_[i];
    for (const auto& e : a.emails) {
      by_email_.emplace(e, i);
      if (auto nr = parse_noreply(e)) {
        if (!a.login) a.login = nr->login;
        if (nr->id && !a.github_id) a.github_id = nr->id;
      }
    }
    if (a.login) by_login_.emplace(*a.login, i);
    if (a.github_id) by_id_.emplace(*a.github_id, i);
  }
}

const Author* AuthorIndex::find(std::string_view name, std::string_view email) const {
  auto [n, e] = canonical(name, email);
  if (auto* a = find_email(e)) return a;
  return find_email(email);
}

const Author* AuthorIndex::find_email(std::string_view email) const {
  auto it = by_email_.find(lower(email));
  return it == by_email_.end() ? nullptr : &authors_[it->second];
}

const Author* AuthorIndex::find_login(std::string_view login) const {
  auto it = by_login_.find(lower(login));
  return it == by_login_.end() ? nullptr : &authors_[it->second];
}

const Author* AuthorIndex::find_github_id(std::int64_t id) const {
  auto it = by_id_.find(id);
  return it == by_id_.end() ? nullptr : &authors_[it->second];
}

std::int64_t AuthorIndex::commits() const {
  std::int64_t n = 0;
  for (const auto& r : raw_) n += r.commits;
  return n;
}

}  // namespace mentorbot::history
