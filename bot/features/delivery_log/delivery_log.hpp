#pragma once
// One log line per delivery of the events mentorbot subscribes to: who did what where. The
// trail an operator reads first when asking "did the bot see it?".
#include <array>
#include <string>

#include "features/context.hpp"

namespace mentorbot::features::delivery_log {

inline constexpr std::array<const char*, 7> events = {
    "pull_request", "pull_request_review", "pull_request_review_comment", "issue_comment",
    "installation", "installation_repositories", "push"};

// Pure: "pull_request.opened Codertocat/Hello-World#2 by nina (author nina) [FIRST_TIME_CONTRIBUTOR]".
std::string describe(const github::Event& event);
void handle(const github::Event& event, Context& context);

}  // namespace mentorbot::features::delivery_log
