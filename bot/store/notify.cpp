#include "store/notify.hpp"

#include <string>

namespace mentorbot::store::notify {

void announce(Db& db, std::string_view what) {
  if (db.engine() != Engine::postgresql) return;
  // Within one transaction PostgreSQL folds identical notifications into one: a batch of a
  // thousand deliveries wakes each listener once.
  Stmt& s = db.cached(std::string("SELECT pg_notify('") + channel + "', $1)");
  s.bind(1, what);
  s.run();
}

}  // namespace mentorbot::store::notify
