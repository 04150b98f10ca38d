// A schema migration, as every SQL backend lists them: append one with the
// next version to change the schema; never edit one that has shipped
// (databases in the field have already applied it). The SQLite and
// PostgreSQL backends use the same version numbers for the same change.
#pragma once

namespace relos::storage::internal {

struct Migration {
  int version;       // 1, 2, 3... strictly increasing
  const char* name;  // recorded in schema_migrations for operators
  const char* sql;   // one or more statements, run in the migration transaction
};

}  // namespace relos::storage::internal
