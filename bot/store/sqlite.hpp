#pragma once
// The SQLite engine under store/db.hpp: a connection to one database file, and the handle the
// store's SQLite-only parts need (the WAL hook, checkpoints).
#include <sqlite3.h>

#include <memory>
#include <string>

#include "store/db.hpp"

namespace mentorbot::store::sqlite {

enum class Mode { read_write, read_only };
Db open(const std::string& path, Mode mode);

// The SQLite handle under `db`, or nullptr when `db` is another engine's.
sqlite3* handle(Db& db);

// Bytes SQLite holds in this process (page caches, statements, schema), all connections together.
std::int64_t memory_used();

// `$1` parameters (the dialect both engines share) as SQLite numbers them (`?1`): SQLite reads
// `$1` as a parameter named "$1", numbered in order of first appearance, not by its digits.
std::string numbered_parameters(std::string_view sql);

}  // namespace mentorbot::store::sqlite
