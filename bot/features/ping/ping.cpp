#include "features/ping/ping.hpp"

#include <spdlog/spdlog.h>

namespace mentorbot::features::ping {

std::string describe(const github::PingEvent& e) {
  return e.hook_type + " hook " + (e.hook_id ? std::to_string(*e.hook_id) : "?") +
         (e.app_id ? " of App " + std::to_string(*e.app_id) : "") + " says \"" + e.zen + "\"";
}

void handle(const github::PingEvent& e, Context&) { spdlog::info("ping from GitHub: {}", describe(e)); }

}  // namespace mentorbot::features::ping
