#pragma once
// labels: the `first-time contributor` label on a first-timer's or first-time contributor's
// pull request; and org-wide label consistency: when the App is installed or given more
// repositories, the labels mentorbot uses exist in every one of them with the configured colour
// and description.
#include <vector>

#include "features/context.hpp"
#include "features/label_spec.hpp"

namespace mentorbot::features::labels {

// Pure: the writes for a pull request event (none unless a first-timer or first-time
// contributor opened it, reopened it or marked it ready).
std::vector<store::outbox::Write> decide(const github::PullRequestEvent& event, const LabelSettings& labels,
                                         const history::Classification& author);
// Pure: the writes that make the labels of each added repository consistent. `labels_of`
// answers with a repository's configured labels.
std::vector<store::outbox::Write> decide(const github::InstallationEvent& event,
                                         const std::function<const LabelSettings&(const std::string& repo)>& labels_of);

void handle_pull_request(const github::PullRequestEvent& event, Context& context);
void handle_installation(const github::InstallationEvent& event, Context& context);

}  // namespace mentorbot::features::labels
