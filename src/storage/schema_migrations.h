// The schema of the SQL backends (SQLite and PostgreSQL) as one ordered list
// of migrations, written once and spelled in each dialect's types. To change
// the schema, append a migration with the next version to
// src/storage/schema_migrations.cc; never edit one that has shipped (databases
// in the field have already applied it).
#pragma once

#include <vector>

#include "storage/migration.h"

namespace relos::storage::internal {

enum class SqlDialect { kSqlite, kPostgres };

const std::vector<Migration>& SchemaMigrations(SqlDialect dialect);

}  // namespace relos::storage::internal
