// The schema of the PostgreSQL backend as an ordered list of migrations,
// version for version the same changes as the SQLite backend's
// (src/storage/sqlite/migrations.cc), in PostgreSQL's types: BIGINT for
// every integer (money, quantities, seconds), TEXT COLLATE "C" for the codes
// that lists are ordered by (so the order is bytewise, as in SQLite and in
// memory, whatever the database's locale).
#pragma once

#include <vector>

#include "storage/migration.h"

namespace relos::storage::internal {

const std::vector<Migration>& PostgresMigrations();

}  // namespace relos::storage::internal
