// The one schema list, rendered for each SQL dialect: every placeholder
// spelled, each dialect only in its own types, versions strictly increasing
// and the same on both backends.
#include "storage/schema_migrations.h"

#include <gtest/gtest.h>

#include <string>

namespace relos::storage::internal {
namespace {

TEST(SchemaMigrations, EveryPlaceholderIsSpelledInTheDialectsTypes) {
  for (SqlDialect dialect : {SqlDialect::kSqlite, SqlDialect::kPostgres}) {
    for (const Migration& m : SchemaMigrations(dialect)) {
      const std::string sql = m.sql;
      SCOPED_TRACE(m.version);
      EXPECT_EQ(sql.find("{int}"), std::string::npos);
      EXPECT_EQ(sql.find("{code}"), std::string::npos);
      if (dialect == SqlDialect::kSqlite) {
        EXPECT_EQ(sql.find("BIGINT"), std::string::npos);
        EXPECT_EQ(sql.find("COLLATE"), std::string::npos);
      } else {
        EXPECT_EQ(sql.find("INTEGER"), std::string::npos);
      }
    }
  }
  // Money and ids are 64-bit on PostgreSQL; codes sort bytewise.
  const std::string first = SchemaMigrations(SqlDialect::kPostgres).front().sql;
  EXPECT_NE(first.find("id              BIGINT PRIMARY KEY"), std::string::npos);
  EXPECT_NE(first.find("code TEXT COLLATE \"C\" PRIMARY KEY"), std::string::npos);
  EXPECT_NE(std::string(SchemaMigrations(SqlDialect::kSqlite).front().sql).find("id              INTEGER PRIMARY KEY"),
            std::string::npos);
}

TEST(SchemaMigrations, VersionsIncreaseAndMatchAcrossDialects) {
  const auto& sqlite = SchemaMigrations(SqlDialect::kSqlite);
  const auto& postgres = SchemaMigrations(SqlDialect::kPostgres);
  ASSERT_EQ(sqlite.size(), postgres.size());
  for (size_t i = 0; i < sqlite.size(); ++i) {
    EXPECT_EQ(sqlite[i].version, postgres[i].version);
    EXPECT_STREQ(sqlite[i].name, postgres[i].name);
    if (i > 0) {
      EXPECT_GT(sqlite[i].version, sqlite[i - 1].version);
    }
  }
}

}  // namespace
}  // namespace relos::storage::internal
