#include "features/labels/labels.hpp"

#include <spdlog/spdlog.h>

namespace mentorbot::features::labels {
namespace {

bool opens(const github::PullRequestEvent& e) {
  return (e.action == "opened" || e.action == "reopened" || e.action == "ready_for_review") && !e.pull_request.draft &&
         !e.pull_request.author.bot && e.installation;
}

}  // namespace

std::vector<store::outbox::Write> decide(const github::PullRequestEvent& e, const LabelSettings& labels,
                                         const history::Classification& author) {
  std::vector<store::outbox::Write> out;
  using history::Status;
  if (!opens(e) || (author.status != Status::first_timer && author.status != Status::first_time_contributor)) return out;
  const auto& repo = e.repository.full_name;
  out.push_back(label_upsert(*e.installation, repo, labels.first_timer));
  out.push_back({"label:" + repo + "#" + std::to_string(e.pull_request.number) + ":first-time", *e.installation, repo,
                 e.pull_request.number, store::outbox::Labels{{labels.first_timer.name}}});
  return out;
}

std::vector<store::outbox::Write> decide(const github::InstallationEvent& e,
                                         const std::function<const LabelSettings&(const std::string& repo)>& labels_of) {
  std::vector<store::outbox::Write> out;
  for (const auto& repo : e.repositories) {
    const auto& labels = labels_of(repo);
    out.push_back(label_upsert(e.installation, repo, labels.first_timer));
    out.push_back(label_upsert(e.installation, repo, labels.needs_review));
  }
  return out;
}

void handle_pull_request(const github::PullRequestEvent& e, Context& context) {
  if (!opens(e)) return;
  const auto& config = context.sources.read_config(*e.installation, e.repository.full_name);
  const auto& author = context.sources.classify_author(e, config.newcomer_threshold);
  for (auto& w : decide(e, config.labels, author)) context.handover.write(std::move(w));
}

void handle_installation(const github::InstallationEvent& e, Context& context) {
  auto writes = decide(e, [&](const std::string& repo) -> const LabelSettings& {
    return context.sources.read_config(e.installation, repo).labels;
  });
  for (auto& w : writes) context.handover.write(std::move(w));
  spdlog::info("delivery {}: installation {} has {} new repositories; their labels will be made consistent",
               context.delivery, e.installation, e.repositories.size());
}

}  // namespace mentorbot::features::labels
