// MemoryStore: the whole state in memory, for fast unit and property tests
// and for tools that need no persistence. A write transaction works on a
// private copy of the state taken at BeginWrite() and swaps it in at
// Commit(), so readers never see a half-done change and an abandoned
// transaction leaves nothing behind. Read transactions share the committed
// state of the moment they began (a snapshot; copy-free).
//
// Thread-safety: thread-safe. Writers are serialised: BeginWrite() blocks
// until the previous write transaction has been committed or destroyed, so
// it never fails. A Transaction is used by one thread at a time; it may be
// destroyed on any thread. The store must outlive its transactions.
#pragma once

#include <memory>

#include "relos/storage/store.h"

namespace relos::storage {

namespace internal {
struct MemoryShared;  // the committed state and the writer gate (memory_store.cc)
}  // namespace internal

class MemoryStore final : public Store {
 public:
  MemoryStore();
  ~MemoryStore() override;
  MemoryStore(const MemoryStore&) = delete;
  MemoryStore& operator=(const MemoryStore&) = delete;

  // Always succeeds (after waiting for the current writer, if any).
  Result<std::unique_ptr<Transaction>> BeginWrite() override;
  // Always succeeds, without waiting.
  Result<std::unique_ptr<Transaction>> BeginRead() override;

 private:
  std::unique_ptr<internal::MemoryShared> shared_;
};

}  // namespace relos::storage
