#include "history/author_index.hpp"

#include <git2/sys/odb_backend.h>

#include <algorithm>
#include <cstring>
#include <unordered_set>

#include "history/identity.hpp"

namespace mentorbot::history {
namespace {

// A first-commit time: the earlier of the two, where 0 means not known.
void keep_earliest(std::int64_t& into, std::int64_t t) {
  if (t && (into == 0 || t < into)) into = t;
}

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
    keep_earliest(t.first, author->time);
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

// Finding a commit's parents means reading it: one pass reads each commit once, for its parents
// and its author alike (measured faster than a libgit2 revwalk, even one with a commit-graph).
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

// The commits a push adds: a revwalk lists those reachable from `tip` but not from `since`.
std::vector<RawIdentity> scan_since(git_repository* repo, const git_oid& tip, const git_oid& since,
                                    std::size_t* seen_count) {
  git_revwalk* raw_walk = nullptr;
  git_check(git_revwalk_new(&raw_walk, repo), "revwalk");
  Revwalk walk(raw_walk);
  git_check(git_revwalk_push(walk.get(), &tip), "revwalk push");
  git_check(git_revwalk_hide(walk.get(), &since), "revwalk hide");
  auto odb = odb_of(repo);
  OdbObject object;
  Tallies tallies;
  std::size_t count = 0;
  git_oid oid;
  while (git_revwalk_next(&oid, walk.get()) == 0) {
    auto data = read_commit(odb.get(), oid, object);
    if (data.empty()) continue;
    ++count;
    tallies.count(data);
  }
  if (seen_count) *seen_count = count;
  return tallies.result();
}

}  // namespace

std::vector<RawIdentity> scan_authors(git_repository* repo, const git_oid& tip, const git_oid* since,
                                      std::size_t* commits_seen) {
  return since ? scan_since(repo, tip, *since, commits_seen) : scan_by_reading(repo, tip, commits_seen);
}

AuthorIndex::AuthorIndex(std::vector<RawIdentity> raw, Mailmap mailmap) : mailmap_(std::move(mailmap)) {
  for (auto& r : raw) {
    auto [it, fresh] = raw_slot_.try_emplace(key_of(r.name, r.email), raw_.size());
    if (fresh) {
      raw_.push_back(std::move(r));
    } else {
      raw_[it->second].commits += r.commits;
      keep_earliest(raw_[it->second].first_commit_at, r.first_commit_at);
    }
  }
  rebuild();
}

void AuthorIndex::add(const std::vector<RawIdentity>& more) {
  for (const auto& r : more) {
    auto [it, fresh] = raw_slot_.try_emplace(key_of(r.name, r.email), raw_.size());
    if (fresh) {
      raw_.push_back(r);
      person_of_.push_back(place(r));
      continue;
    }
    // Known identity: its person only gains commits.
    auto& existing = raw_[it->second];
    existing.commits += r.commits;
    auto& a = authors_[person_of_[it->second]];
    a.commits += r.commits;
    for (auto* first : {&existing.first_commit_at, &a.first_commit_at}) {
      keep_earliest(*first, r.first_commit_at);
    }
  }
}

void AuthorIndex::remap(Mailmap mailmap) {
  mailmap_ = std::move(mailmap);
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
  person_of_.clear();
  for (const auto& r : raw_) person_of_.push_back(place(r));
}

std::size_t AuthorIndex::place(const RawIdentity& r) {
  auto [name, email] = canonical(r.name, r.email);
  auto found = by_email_.find(email);
  std::size_t i;
  if (found != by_email_.end() && authors_[found->second].email == email) {
    i = found->second;
  } else {
    i = authors_.size();
    Author a;
    a.name = name;
    a.email = email;
    authors_.push_back(std::move(a));
  }
  auto& a = authors_[i];
  a.commits += r.commits;
  keep_earliest(a.first_commit_at, r.first_commit_at);
  for (const auto& address : {email, lower(r.email)}) {
    if (std::find(a.emails.begin(), a.emails.end(), address) != a.emails.end()) continue;
    a.emails.push_back(address);
    by_email_.emplace(address, i);
    if (auto nr = parse_noreply(address)) {
      if (!a.login) {
        a.login = nr->login;
        by_login_.emplace(nr->login, i);
      }
      if (nr->id && !a.github_id) {
        a.github_id = nr->id;
        by_id_.emplace(*nr->id, i);
      }
    }
  }
  return i;
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

}  // namespace mentorbot::history
