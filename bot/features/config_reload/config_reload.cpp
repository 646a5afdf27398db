#include "features/config_reload/config_reload.hpp"

#include <algorithm>

#include <spdlog/spdlog.h>

namespace mentorbot::features::config_reload {

bool touches_config(const github::PushEvent& e) {
  if (e.ref != "refs/heads/" + e.repository.default_branch) return false;
  if (!e.all_listed) return true;
  return std::any_of(e.paths.begin(), e.paths.end(), is_config_path);
}

void handle(const github::PushEvent& e, Context& context) {
  if (!touches_config(e)) return;
  context.sources.forget_config(e.repository.full_name);
  spdlog::info("delivery {}: {} changed its mentorbot files; they are read again next time", context.delivery,
               e.repository.full_name);
}

}  // namespace mentorbot::features::config_reload
