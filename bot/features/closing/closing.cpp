#include "features/closing/closing.hpp"

namespace mentorbot::features::closing {
namespace {

bool closed_unmerged(const github::PullRequestEvent& e) {
  return e.action == "closed" && !e.pull_request.merged && !e.pull_request.author.bot && e.installation;
}

}  // namespace

std::optional<store::outbox::Write> decide(const github::PullRequestEvent& e, const history::Classification& author,
                                           const Words& words) {
  if (!closed_unmerged(e) || !history::is_new(author.status)) return std::nullopt;
  const auto& pr = e.pull_request;
  auto data = pull_request_data(e.repository, pr, author.status);
  data.set("good_first_issues_url", e.repository.html_url + "/contribute");
  if (!pr.author.login.empty() && e.sender.login == pr.author.login) data.set("closed_by_author", render::Data::type::bool_true);
  return store::outbox::Write{"closed:" + e.repository.full_name + "#" + std::to_string(pr.number), *e.installation,
                              e.repository.full_name, pr.number,
                              store::outbox::Comment{words("closed_unmerged", data)}};
}

void handle(const github::PullRequestEvent& e, Context& context) {
  if (!closed_unmerged(e)) return;
  const auto& config = context.sources.read_config(*e.installation, e.repository.full_name);
  const auto& author = context.sources.classify_author(e, config.newcomer_threshold);
  if (auto write = decide(e, author, Words(context.templates, config))) context.handover.write(std::move(*write));
}

}  // namespace mentorbot::features::closing
