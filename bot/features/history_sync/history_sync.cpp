#include "features/history_sync/history_sync.hpp"

namespace mentorbot::features::history_sync {

bool moves_default_branch(const github::PushEvent& e) {
  return !e.deleted && e.ref == "refs/heads/" + e.repository.default_branch && !e.repository.clone_url.empty();
}

void handle(const github::PushEvent& e, Context& context) {
  if (moves_default_branch(e)) context.sources.default_branch_moved(e);
}

}  // namespace mentorbot::features::history_sync
