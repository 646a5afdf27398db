#include "features/history/history.hpp"

#include "history/contributors.hpp"

namespace mentorbot::features::history_sync {

void handle(Context& context) {
  if (context.ports.contributors) context.ports.contributors->on_push(context.event);
}

}  // namespace mentorbot::features::history_sync
