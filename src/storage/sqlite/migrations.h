// The schema of the SQLite backend as an ordered list of migrations. To
// change the schema, append a migration with the next version; never edit
// one that has shipped (databases in the field have already applied it).
#pragma once

#include <vector>

namespace relos::storage::internal {

struct Migration {
  int version;       // 1, 2, 3... strictly increasing
  const char* name;  // recorded in schema_migrations for operators
  const char* sql;   // one or more statements, run in the migration transaction
};

const std::vector<Migration>& SqliteMigrations();

}  // namespace relos::storage::internal
