#include "features/config_reload/config_reload.hpp"

#include <algorithm>

#include <spdlog/spdlog.h>

namespace mentorbot::features::config_reload {

bool touches_config(const github::PushEvent& e) {
  if (e.ref != "refs/heads/" + e.repository.default_branch) return false;
  if (!e.all_listed) return true;
  return std::find(e.paths.begin(), e.paths.end(), repo_config_path) != e.paths.end();
}

void handle(const github::PushEvent& e, Context& context) {
  if (!touches_config(e)) return;
  context.sources.forget_config(e.repository.full_name);
  spdlog::info("delivery {}: {} changed {}; it is read again next time", context.delivery, e.repository.full_name,
               repo_config_path);
}

}  // namespace mentorbot::features::config_reload
