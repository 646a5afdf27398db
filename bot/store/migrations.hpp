#pragma once
#include "store/db.hpp"

namespace mentorbot::store {

// Brings the schema to the newest version, one transaction per step (SQLite counts versions in
// PRAGMA user_version, PostgreSQL in the table mentorbot_schema). On PostgreSQL it holds an
// advisory lock meanwhile, so replicas starting together do not race.
void migrate(Db& db);
int schema_version(Db& db);

}  // namespace mentorbot::store
