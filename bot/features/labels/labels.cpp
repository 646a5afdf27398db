#include "features/labels/labels.hpp"


#include <cctype>

#include <boost/json/serialize.hpp>
#include <spdlog/spdlog.h>

#include "core/hash.hpp"
#include "features/welcome/welcome.hpp"

namespace mentorbot::features::labels {
store::outbox::Write ensure(std::int64_t installation, const std::string& repo, const LabelSpec& label) {
  std::string color = label.color;
  for (auto& c : color) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));  // as GitHub answers
  json::object payload{{"name", label.name}, {"color", color}, {"description", label.description}};
  return {"label-ensure:" + repo + ":" + short_hash(label.name + "\n" + color + "\n" + label.description),
          installation, repo, 0, "label_ensure", json::serialize(payload)};
}

std::vector<store::outbox::Write> decide_pull_request(const github::Event& event, const PullRequest& pr,
                                                      const history::Classification& who, const RepoConfig& config) {
  std::vector<store::outbox::Write> out;
  if (!welcome::wants_welcome(event) || pr.author_is_bot) return out;
  using history::Status;
  if (who.status != Status::first_timer && who.status != Status::first_time_contributor) return out;
  out.push_back(ensure(pr.installation, pr.repo, config.first_timer_label));
  json::object payload{{"labels", json::array{json::value(config.first_timer_label.name)}}};
  out.push_back({"label:" + pr.repo + "#" + std::to_string(pr.number) + ":first-time", pr.installation, pr.repo,
                 pr.number, "labels", json::serialize(payload)});
  return out;
}

std::vector<std::string> added_repositories(const github::Event& event) {
  std::vector<std::string> out;
  const char* field = nullptr;
  if (event.name == "installation" && (event.action == "created" || event.action == "new_permissions_accepted")) {
    field = "repositories";
  } else if (event.name == "installation_repositories" && event.action == "added") {
    field = "repositories_added";
  }
  if (!field || !event.payload.is_object()) return out;
  const auto* list = event.payload.as_object().if_contains(field);
  if (!list || !list->is_array()) return out;
  for (const auto& r : list->as_array()) {
    if (auto name = json_string(r, {"full_name"})) out.push_back(*name);
  }
  return out;
}

void handle_pull_request(Context& context) {
  const auto& e = context.event;
  if (!welcome::wants_welcome(e)) return;
  auto pr = pull_request_of(e);
  if (!pr || pr->author_is_bot) return;
  for (auto& w : decide_pull_request(e, *pr, author_of(context), config_of(context))) context.write(std::move(w));
}

void handle_installation(Context& context) {
  auto installation = context.event.installation_id();
  if (!installation) return;
  auto repos = added_repositories(context.event);
  for (const auto& repo : repos) {
    RepoConfig config;
    if (context.ports.configs) config = context.ports.configs->config(*installation, repo);
    context.write(ensure(*installation, repo, config.first_timer_label));
    context.write(ensure(*installation, repo, config.needs_review_label));
  }
  spdlog::info("delivery {}: installation {} has {} new repositories; their labels will be made consistent",
               context.event.delivery, *installation, repos.size());
}

}  // namespace mentorbot::features::labels
