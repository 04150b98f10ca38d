// Opening a store from a URL: the one place that knows which backend a
// deployment uses, for the composition roots (CLI, server).
//
// Thread-safety: a pure function; the store it returns is thread-safe.
#pragma once

#include <memory>
#include <string>

#include "relos/storage/store.h"

namespace relos::storage {

// Opens the store named by `url`:
//   "sqlite:PATH" or a plain path   SqliteStore on PATH (created if absent)
//   "memory:"                       a new, empty MemoryStore
//   "postgresql://..." or
//   "postgres://..."                PostgresStore on that database (the URL is
//                                   handed to libpq as is)
// Errors: InvalidArgument for an empty URL, "sqlite:" without a path or an
// unknown scheme ("mysql://..."); otherwise what SqliteStore::Open or
// PostgresStore::Open returns.
Result<std::unique_ptr<Store>> OpenStore(const std::string& url);

}  // namespace relos::storage
