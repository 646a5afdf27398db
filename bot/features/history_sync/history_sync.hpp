#pragma once
// history sync: keeps each mirror and its author index up to date when the default branch moves.
#include "features/context.hpp"

namespace mentorbot::features::history_sync {

// Pure: does this push move the default branch (not delete it)?
bool moves_default_branch(const github::PushEvent& push);
void handle(const github::PushEvent& push, Context& context);

}  // namespace mentorbot::features::history_sync
