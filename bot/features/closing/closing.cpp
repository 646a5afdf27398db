#include "features/closing/closing.hpp"

#include <boost/json/serialize.hpp>

namespace mentorbot::features::closing {

std::optional<Plan> decide(const github::Event& e, const PullRequest& pr, const history::Classification& who) {
  if (e.name != "pull_request" || e.action != "closed" || pr.merged || pr.author_is_bot) return std::nullopt;
  if (!history::is_new(who.status)) return std::nullopt;
  Plan plan;
  plan.key = "closed:" + pr.repo + "#" + std::to_string(pr.number);
  plan.closed_by_author = e.sender_login() == pr.author;
  return plan;
}

void handle(Context& context) {
  const auto& e = context.event;
  if (e.action != "closed") return;
  auto pr = pull_request_of(e);
  if (!pr || pr->merged || pr->author_is_bot) return;
  auto plan = decide(e, *pr, author_of(context));
  if (!plan) return;
  auto data = template_data(*pr, author_of(context));
  data.set("good_first_issues_url", pr->repo_url + "/contribute");
  if (plan->closed_by_author) data.set("closed_by_author", render::Data::type::bool_true);
  json::object payload{{"body", words(context, config_of(context), "closed_unmerged", data)}};
  context.write({plan->key, pr->installation, pr->repo, pr->number, "comment", json::serialize(payload)});
}

}  // namespace mentorbot::features::closing
