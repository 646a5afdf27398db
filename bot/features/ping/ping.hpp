#pragma once
// `ping`: GitHub's hello when a hook (or the App) is created. Logged, nothing else.
#include "features/registry.hpp"

namespace mentorbot::features::ping {

void handle(Context& context);

}  // namespace mentorbot::features::ping
