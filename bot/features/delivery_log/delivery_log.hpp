#pragma once
// One log line per delivery of the events mentorbot subscribes to: who did what where. The
// trail an operator reads first when asking "did the bot see it?".
#include <array>

#include "features/registry.hpp"

namespace mentorbot::features::delivery_log {

inline constexpr std::array<const char*, 7> events = {
    "pull_request", "pull_request_review", "pull_request_review_comment", "issue_comment",
    "installation", "installation_repositories", "push"};

void handle(Context& context);

}  // namespace mentorbot::features::delivery_log
