#pragma once
// `ping`: GitHub's hello when a hook (or the App) is created. Logged, nothing else.
#include <string>

#include "features/context.hpp"

namespace mentorbot::features::ping {

// Pure: `Bot hook 42 of App 7 says "Keep it logically awesome."`
std::string describe(const github::PingEvent& event);
void handle(const github::PingEvent& event, Context& context);

}  // namespace mentorbot::features::ping
