#pragma once
// history: keeps each mirror and its author index up to date when the default branch moves.
#include "features/registry.hpp"

namespace mentorbot::features::history_sync {

void handle(Context& context);

}  // namespace mentorbot::features::history_sync
