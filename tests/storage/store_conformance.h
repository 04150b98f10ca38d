// The storage conformance suite: one set of tests that every Store backend
// must pass, so that services behave the same on memory, SQLite and
// PostgreSQL. A backend joins by instantiating the suite with a factory:
//
//   INSTANTIATE_TEST_SUITE_P(Sqlite, StoreConformanceTest,
//       ::testing::Values(StoreFactory{"sqlite", [](const std::string& dir) {
//         return ...open a fresh store under dir...; }}),
//       StoreFactoryName);
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <functional>
#include <memory>
#include <string>

#include "relos/storage/store.h"

namespace relos::storage::testing {

struct StoreFactory {
  std::string name;  // a test-name-safe label: "memory", "sqlite"
  // A new, empty store. `dir` is an empty directory the test owns (removed
  // after the store is destroyed) for backends that need files.
  std::function<Result<std::unique_ptr<Store>>(const std::string& dir)> open;
  // When not empty, the backend cannot be tested here (no server to test
  // against) and every test skips with this message.
  std::string skip = {};
};

// So that a failing test names the backend rather than dumping bytes.
inline void PrintTo(const StoreFactory& f, std::ostream* os) { *os << f.name; }

inline std::string StoreFactoryName(const ::testing::TestParamInfo<StoreFactory>& info) { return info.param.name; }

// A fresh empty directory per test, removed afterwards.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

class StoreConformanceTest : public ::testing::TestWithParam<StoreFactory> {
 protected:
  void SetUp() override;
  void TearDown() override { store_.reset(); }
  Store& store() { return *store_; }

  TempDir dir_;
  std::unique_ptr<Store> store_;
};

}  // namespace relos::storage::testing
