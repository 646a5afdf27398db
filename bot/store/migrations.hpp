#pragma once
#include "store/sqlite.hpp"

namespace mentorbot::store {

// Brings the schema to the newest version (PRAGMA user_version), one transaction per step.
void migrate(Db& db);
int schema_version(Db& db);

}  // namespace mentorbot::store
