#include "app/delivery_sources.hpp"

#include <spdlog/spdlog.h>

#include "core/clock.hpp"
#include "github/client.hpp"
#include "history/git.hpp"
#include "store/pipeline_numbers.hpp"

namespace mentorbot::app {
namespace {

// Without a history to ask (no mirror configured), GitHub's own field is all there is.
history::Classification from_association(const github::PullRequest& pr, int threshold) {
  history::Facts f;
  f.login = pr.author.login;
  f.association = pr.association;
  f.bot = pr.author.bot;
  f.history_available = pr.association == "FIRST_TIMER" || pr.association == "FIRST_TIME_CONTRIBUTOR";
  return history::classify(f, threshold);
}

}  // namespace

history::MirrorSource mirror_source(const github::RepositoryEvent& e) {
  return {e.repository.full_name, e.repository.clone_url, e.repository.default_branch, e.installation};
}

const features::RepoConfig& DeliverySources::read_config(std::int64_t installation, const std::string& repo) {
  auto it = configs_.find(repo);
  if (it != configs_.end()) return it->second;
  features::RepoConfig config;
  if (services_.configs) config = services_.configs->config(installation, repo);
  return configs_.emplace(repo, std::move(config)).first->second;
}

features::LoadedConfig DeliverySources::config_at(std::int64_t installation, const std::string& repo,
                                                  const std::string& ref) {
  if (!services_.configs) return {};
  return services_.configs->load_at(installation, repo, ref);
}

std::optional<std::string> DeliverySources::file_at(std::int64_t installation, const std::string& repo,
                                                    const std::string& path, const std::string& ref) {
  if (!services_.configs) return std::nullopt;
  return services_.configs->file_at(installation, repo, path, ref);
}

const history::Classification& DeliverySources::classify_author(const github::PullRequestEvent& e, int threshold) {
  auto it = authors_.find(e.pull_request.number);
  if (it != authors_.end()) return it->second;
  auto who = classify(e, threshold);
  const auto& pr = e.pull_request;
  spdlog::info("delivery {}: author {} of {}#{} is {}: {}", delivery_, pr.author.login, e.repository.full_name,
               pr.number, history::to_string(who.status), who.reason);
  return authors_.emplace(pr.number, std::move(who)).first->second;
}

history::Classification DeliverySources::classify(const github::PullRequestEvent& e, int threshold) {
  const auto& pr = e.pull_request;
  if (!services_.contributors) return from_association(pr, threshold);
  history::AuthorQuery q;
  q.source = mirror_source(e);
  q.login = pr.author.login;
  q.user_id = pr.author.id;
  q.association = pr.association;
  q.bot = pr.author.bot;
  try {
    if (!q.bot && !history::is_maintainer(q.association) && services_.lists && e.installation) {
      // Who wrote the pull request's commits, as the list the review reads anyway says. A list
      // GitHub refuses (the pull request is gone, or not ours) leaves the login and the id.
      try {
        for (const auto& c : read_commits(e)) q.identities.emplace_back(c.author_name, c.author_email);
      } catch (const github::ApiError& error) {
        spdlog::info("delivery {}: the commits of {}#{} cannot be read ({}); asking by login", delivery_,
                     e.repository.full_name, pr.number, error.what());
      }
    }
    return history::classify(services_.contributors->pull_request_author(q, threshold), threshold);
  } catch (const std::exception& error) {
    // The mirror or GitHub may come back; on the last try, nobody can tell, and nobody is greeted.
    if (!last_attempt_) throw;
    spdlog::warn("delivery {}: who wrote {}#{} cannot be told now ({}); treating the author as unknown", delivery_,
                 e.repository.full_name, pr.number, error.what());
  }
  return history::classify(history::Facts{}, threshold);
}

const std::vector<github::ChangedFile>& DeliverySources::read_files(const github::PullRequestEvent& e) {
  auto number = e.pull_request.number;
  if (auto it = files_.find(number); it != files_.end()) return it->second;
  std::vector<github::ChangedFile> files;
  if (services_.lists && e.installation) files = services_.lists->files(*e.installation, e.repository.full_name, number);
  return files_.emplace(number, std::move(files)).first->second;
}

const std::vector<github::PullCommit>& DeliverySources::read_commits(const github::PullRequestEvent& e) {
  auto number = e.pull_request.number;
  if (auto it = commits_.find(number); it != commits_.end()) return it->second;
  std::vector<github::PullCommit> commits;
  if (services_.lists && e.installation) {
    commits = services_.lists->commits(*e.installation, e.repository.full_name, number);
  }
  return commits_.emplace(number, std::move(commits)).first->second;
}

std::vector<store::outbox::Row> DeliverySources::planned_on(const std::string& repo, std::int64_t number) {
  if (!services_.store) return {};
  return services_.store->read([&](store::Db& db) { return store::outbox::writes_on(db, repo, number); });
}

std::optional<std::int64_t> DeliverySources::usual_first_response_s(const std::string& repo, std::int64_t except,
                                                                    int min_points) {
  if (!services_.store) return std::nullopt;
  auto now = unix_ms();
  store::pipeline::Window window{now - 90LL * 24 * 3600 * 1000, now};
  auto rows = services_.store->read(
      [&](store::Db& db) { return store::pipeline::rows(db, {repo, "", {}}, window.since_ms); });
  std::erase_if(rows, [&](const store::pipeline::Entry& r) { return r.number == except; });
  return store::pipeline::usual_first_response_s(rows, window, min_points);
}

std::vector<features::OpenIssue> DeliverySources::good_first_issues(std::int64_t installation, const std::string& repo,
                                                                   const std::vector<std::string>& labels) {
  if (!services_.issues) return {};
  return services_.issues->find(installation, repo, labels);
}

void DeliverySources::forget_config(const std::string& repo) {
  configs_.erase(repo);
  if (services_.configs) services_.configs->forget(repo);
}

void DeliverySources::default_branch_moved(const github::PushEvent& push) {
  if (services_.contributors) services_.contributors->default_branch_moved(mirror_source(push));
}

}  // namespace mentorbot::app
