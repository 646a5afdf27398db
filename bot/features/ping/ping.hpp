#pragma once
// `ping`: GitHub's hello when a hook (or the App) is created. Logged, nothing else.
#include "features/context.hpp"

namespace mentorbot::features::ping {

void handle(const github::PingEvent& event, Context& context);

}  // namespace mentorbot::features::ping
