#include "features/ping/ping.hpp"

#include <spdlog/spdlog.h>

namespace mentorbot::features::ping {

void handle(Context& context) {
  const auto& p = context.event.payload;
  auto hook_id = json_int(p, {"hook_id"});
  auto type = json_string(p, {"hook", "type"}).value_or("unknown");
  auto app_id = json_int(p, {"hook", "app_id"});
  spdlog::info("ping from GitHub: {} hook {}{} says \"{}\"", type, hook_id ? std::to_string(*hook_id) : "?",
               app_id ? " of App " + std::to_string(*app_id) : "", json_string(p, {"zen"}).value_or(""));
}

}  // namespace mentorbot::features::ping
