#include "relos/storage/open_store.h"

#include <gtest/gtest.h>

#include "storage/sample_data.h"
#include "storage/store_conformance.h"

namespace relos::storage::testing {
namespace {

// Writes a party through a store and reads it back through the same store.
void ExpectUsable(Store& store) {
  auto w = store.BeginWrite();
  ASSERT_TRUE(w.ok()) << w.status();
  ASSERT_TRUE((*w)->PutParty(relos::testing::SampleParty()).ok());
  ASSERT_TRUE((*w)->Commit().ok());
  auto r = store.BeginRead();
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_TRUE((*r)->GetParty("IN").ok());
}

TEST(OpenStoreTest, ChoosesTheBackendByUrl) {
  TempDir dir;
  for (const std::string& url : {std::string("memory:"), "sqlite:" + dir.path() + "/a.db", dir.path() + "/b.db"}) {
    auto store = OpenStore(url);
    ASSERT_TRUE(store.ok()) << url << ": " << store.status();
    ExpectUsable(**store);
  }
  // The SQLite URLs made files; memory: made none.
  EXPECT_TRUE(std::filesystem::exists(dir.path() + "/a.db"));
  EXPECT_TRUE(std::filesystem::exists(dir.path() + "/b.db"));
}

TEST(OpenStoreTest, RefusesWhatItCannotOpen) {
  // Both PostgreSQL schemes reach libpq (port 1: nothing listens there).
  for (const char* url : {"postgresql://relos@127.0.0.1:1/relos", "postgres://relos@127.0.0.1:1/relos"}) {
    Status pg = OpenStore(url).status();
    EXPECT_EQ(pg.code(), StatusCode::kUnavailable) << pg;
    EXPECT_EQ(pg.message().rfind("connecting to PostgreSQL at ", 0), 0u) << pg;
  }
  EXPECT_EQ(OpenStore("").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(OpenStore("sqlite:").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(OpenStore("mysql://x").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(OpenStore("/nonexistent-dir/relos.db").status().code(), StatusCode::kUnavailable);
}

}  // namespace
}  // namespace relos::storage::testing
