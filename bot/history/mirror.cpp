#include "history/mirror.hpp"

#include <spdlog/spdlog.h>

namespace mentorbot::history {
namespace {

struct Credentials {
  std::optional<std::string> token;
  bool tried = false;
};

// libgit2 asks for credentials each time the server says no: give the token once.
int acquire(git_credential** out, const char*, const char*, unsigned int allowed, void* payload) {
  auto* c = static_cast<Credentials*>(payload);
  if (!c->token || c->tried || !(allowed & GIT_CREDENTIAL_USERPASS_PLAINTEXT)) return GIT_PASSTHROUGH;
  c->tried = true;
  return git_credential_userpass_plaintext_new(out, "x-access-token", c->token->c_str());
}

bool safe_repo_name(const std::string& repo) {
  auto slash = repo.find('/');
  if (slash == std::string::npos || slash == 0 || slash + 1 == repo.size() || repo.find('/', slash + 1) != std::string::npos) {
    return false;
  }
  for (char c : repo) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.' || c == '/')) return false;
  }
  return repo.find("..") == std::string::npos;
}

}  // namespace

Mirrors::Mirrors(std::filesystem::path root, Token token) : root_(std::move(root)), token_(std::move(token)) {}

Mirrors::State& Mirrors::state(const std::string& repo) {
  std::lock_guard lock(mutex_);
  auto& s = states_[repo];
  if (!s) s = std::make_unique<State>();
  return *s;
}

std::filesystem::path Mirrors::path_of(const std::string& repo) const {
  if (!safe_repo_name(repo)) throw GitError("not a repository name: " + repo);
  return root_ / (repo + ".git");
}

bool Mirrors::exists(const std::string& repo) const {
  std::error_code ec;
  return std::filesystem::exists(path_of(repo) / "HEAD", ec);
}

Repository Mirrors::open(const std::string& repo) const { return open_repository(path_of(repo).string()); }

Mirrors::Lease Mirrors::lease(const std::string& repo) {
  auto& s = state(repo);
  {
    std::lock_guard lock(s.pool_mutex);
    if (!s.pool.empty()) {
      auto handle = std::move(s.pool.back());
      s.pool.pop_back();
      return Lease(*this, repo, std::move(handle));
    }
  }
  return Lease(*this, repo, open(repo));
}

Mirrors::Lease::~Lease() {
  if (!handle_ || !mirrors_) return;
  auto& s = mirrors_->state(repo_);
  std::lock_guard lock(s.pool_mutex);
  if (s.pool.size() < 16) s.pool.push_back(std::move(handle_));
}

void Mirrors::fetch(const MirrorSource& source, const std::vector<std::string>& refspecs) {
  auto repo = lease(source.repo);
  git_remote* raw = nullptr;
  git_check(git_remote_create_anonymous(&raw, repo.get(), source.clone_url.c_str()), "remote " + source.repo);
  Remote remote(raw);
  Credentials credentials;
  if (source.installation_id && source.clone_url.rfind("https://", 0) == 0) credentials.token = token_(*source.installation_id);
  git_fetch_options options = GIT_FETCH_OPTIONS_INIT;
  options.callbacks.credentials = acquire;
  options.callbacks.payload = &credentials;
  options.prune = GIT_FETCH_NO_PRUNE;
  options.update_fetchhead = 0;
  std::vector<char*> specs;
  for (const auto& s : refspecs) specs.push_back(const_cast<char*>(s.c_str()));
  git_strarray array{specs.data(), specs.size()};
  git_check(git_remote_fetch(remote.get(), &array, &options, nullptr), "fetch " + source.repo);
}

void Mirrors::stale(const std::string& repo) {
  state(repo).stale = true;  // never waits for a fetch in progress (the listener's thread calls this)
}

git_oid Mirrors::sync(const MirrorSource& source, bool do_fetch) {
  auto& s = state(source.repo);
  std::lock_guard fetching(s.fetching);
  do_fetch = s.stale.exchange(false) || do_fetch;
  // One stat: a mirror someone deleted (to have it made again) is cloned again.
  if (s.tip && s.tip_branch == source.default_branch && !do_fetch && exists(source.repo)) return *s.tip;
  auto path = path_of(source.repo);
  std::string branch_ref = "refs/heads/" + source.default_branch;
  if (!exists(source.repo)) {
    {
      std::lock_guard lock(s.pool_mutex);
      s.pool.clear();  // handles on a mirror that is gone
    }
    std::filesystem::create_directories(path.parent_path());
    auto partial = path.string() + ".partial";
    std::filesystem::remove_all(partial);
    Credentials credentials;
    if (source.installation_id && source.clone_url.rfind("https://", 0) == 0) credentials.token = token_(*source.installation_id);
    git_clone_options options = GIT_CLONE_OPTIONS_INIT;
    options.bare = 1;
    options.checkout_branch = source.default_branch.c_str();
    options.fetch_opts.callbacks.credentials = acquire;
    options.fetch_opts.callbacks.payload = &credentials;
    git_repository* raw = nullptr;
    spdlog::info("mirroring {} into {}", source.repo, path.string());
    // Cloned beside its final place and renamed: a half-made mirror is never taken for one.
    git_check(git_clone(&raw, source.clone_url.c_str(), partial.c_str(), &options), "clone " + source.repo);
    Repository(raw).reset();
    std::filesystem::rename(partial, path);
  } else if (do_fetch) {
    fetch(source, {"+" + branch_ref + ":" + branch_ref});
  }
  auto repo = lease(source.repo);
  git_oid tip;
  git_check(git_reference_name_to_id(&tip, repo.get(), branch_ref.c_str()), "branch " + source.default_branch);
  s.tip = tip;
  s.tip_branch = source.default_branch;
  return tip;
}

}  // namespace mentorbot::history
