#include "features/ping/ping.hpp"

#include <spdlog/spdlog.h>

namespace mentorbot::features::ping {

void handle(const github::PingEvent& e, Context&) {
  spdlog::info("ping from GitHub: {} hook {}{} says \"{}\"", e.hook_type, e.hook_id ? std::to_string(*e.hook_id) : "?",
               e.app_id ? " of App " + std::to_string(*e.app_id) : "", e.zen);
}

}  // namespace mentorbot::features::ping
