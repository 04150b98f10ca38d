// Scratch PostgreSQL databases for tests. The test server is named by the
// environment variable RELOS_TEST_POSTGRES_URL (./test.sh starts a
// throwaway cluster with scripts/pg-test-cluster.sh and sets it); tests that
// need PostgreSQL skip, saying so, when it is not set. Each test gets a
// database of its own, created empty and dropped (with any connections
// still open to it) when the ScratchDatabase is destroyed.
//
// Thread-safety: a ScratchDatabase is used by one thread; the url it
// returns may be used by any number of connections.
#pragma once

#include <string>

#include "relos/core/status.h"

namespace relos::testing {

// The test server's URL, or "" when RELOS_TEST_POSTGRES_URL is unset.
std::string PostgresTestUrl();
// What a skipped test prints when the URL is unset.
std::string PostgresSkipMessage();

class ScratchDatabase {
 public:
  // Creates a new empty database on the test server (a unique name from the
  // process id and a counter). Unavailable if the server cannot be reached.
  static Result<ScratchDatabase> Create();
  ~ScratchDatabase();
  ScratchDatabase(ScratchDatabase&& other) noexcept;
  ScratchDatabase& operator=(ScratchDatabase&&) = delete;
  ScratchDatabase(const ScratchDatabase&) = delete;

  // A postgresql:// URL for the new database (the server's URL with its
  // database replaced), usable with OpenStore and `relos --db`.
  const std::string& url() const { return url_; }
  const std::string& name() const { return name_; }

  // Runs one SQL statement on the scratch database as an operator with psql
  // would, bypassing relos; returns the first column of the first row.
  Result<std::string> Sql(const std::string& sql) const;
  // The same for a statement that changes rows; returns how many.
  Result<int64_t> Execute(const std::string& sql) const;

 private:
  ScratchDatabase(std::string name, std::string url) : name_(std::move(name)), url_(std::move(url)) {}
  std::string name_;
  std::string url_;
};

}  // namespace relos::testing
