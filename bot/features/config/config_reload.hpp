#pragma once
// config reload: a push to the default branch that touches .github/mentorbot.yml makes the
// repository's config (and every config that extends it) read again.
#include "features/registry.hpp"

namespace mentorbot::features::config_reload {

inline constexpr const char* config_path = ".github/mentorbot.yml";

// Pure: does this push change the config on the default branch? (A push listing 20 commits,
// GitHub's most, may hold more: that one counts as touching it.)
bool touches_config(const github::Event& push);
void handle(Context& context);

}  // namespace mentorbot::features::config_reload
