#include "features/config/config_reload.hpp"

#include <spdlog/spdlog.h>

namespace mentorbot::features::config_reload {

bool touches_config(const github::Event& e) {
  if (e.name != "push") return false;
  auto ref = json_string(e.payload, {"ref"}).value_or("");
  auto default_branch = json_string(e.payload, {"repository", "default_branch"});
  if (!default_branch || ref != "refs/heads/" + *default_branch) return false;
  const auto* commits = json_find(e.payload, {"commits"});
  if (!commits || !commits->is_array()) return false;
  if (commits->as_array().size() >= 20) return true;
  for (const auto& c : commits->as_array()) {
    for (const char* list : {"added", "modified", "removed"}) {
      const auto* files = json_find(c, {list});
      if (!files || !files->is_array()) continue;
      for (const auto& f : files->as_array()) {
        if (f.is_string() && f.get_string() == config_path) return true;
      }
    }
  }
  return false;
}

void handle(Context& context) {
  if (!context.ports.configs || !touches_config(context.event)) return;
  auto repo = context.event.repo();
  if (!repo) return;
  context.ports.configs->forget(*repo);
  spdlog::info("delivery {}: {} changed {}; it is read again next time", context.event.delivery, *repo, config_path);
}

}  // namespace mentorbot::features::config_reload
