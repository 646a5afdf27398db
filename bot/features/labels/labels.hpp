#pragma once
// labels: the `first-time contributor` label on a first-timer's or first-time contributor's
// pull request; and org-wide label consistency: when the App is installed or given more
// repositories, the labels mentorbot uses exist in every one of them with the configured colour
// and description.
#include <optional>
#include <string>
#include <vector>

#include "features/pull_request.hpp"

namespace mentorbot::features::labels {

// The write that makes `label` exist in `repo` as configured (created, or its colour and
// description corrected). Its key changes when the configured label does.
store::outbox::Write ensure(std::int64_t installation, const std::string& repo, const LabelSpec& label);

// Pure: the writes for a pull request event (none unless a first-timer or first-time
// contributor opened it, or marked it ready).
std::vector<store::outbox::Write> decide_pull_request(const github::Event& event, const PullRequest& pr,
                                                      const history::Classification& who, const RepoConfig& config);
// The repositories an installation event adds (full names).
std::vector<std::string> added_repositories(const github::Event& event);

void handle_pull_request(Context& context);
void handle_installation(Context& context);

}  // namespace mentorbot::features::labels
