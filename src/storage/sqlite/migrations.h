// The schema of the SQLite backend as an ordered list of migrations. To
// change the schema, append a migration with the next version; never edit
// one that has shipped (databases in the field have already applied it).
#pragma once

#include <vector>

#include "storage/migration.h"

namespace relos::storage::internal {

const std::vector<Migration>& SqliteMigrations();

}  // namespace relos::storage::internal
