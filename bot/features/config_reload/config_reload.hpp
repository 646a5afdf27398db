#pragma once
// config reload: a push to the default branch that touches .github/mentorbot.yml makes the
// repository's config (and every config that extends it) read again.
#include "features/context.hpp"

namespace mentorbot::features::config_reload {

// Pure: does this push change the config on the default branch? (A push listing 20 commits,
// GitHub's most, may hold more: that one counts as touching it.)
bool touches_config(const github::PushEvent& push);
void handle(const github::PushEvent& push, Context& context);

}  // namespace mentorbot::features::config_reload
