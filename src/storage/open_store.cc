#include "relos/storage/open_store.h"

#include <cctype>

#include "relos/storage/memory_store.h"
#include "relos/storage/postgres_store.h"
#include "relos/storage/sqlite_store.h"

namespace relos::storage {

Result<std::unique_ptr<Store>> OpenStore(const std::string& url) {
  if (url.empty()) return InvalidArgument("empty store URL (expected sqlite:PATH, a path, postgresql://... or memory:)", "store_url");
  if (url == "memory:") return std::unique_ptr<Store>(std::make_unique<MemoryStore>());
  if (url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0) {
    ASSIGN_OR_RETURN(auto store, PostgresStore::Open(url));
    return std::unique_ptr<Store>(std::move(store));
  }
  std::string path = url;
  if (url.rfind("sqlite:", 0) == 0) {
    path = url.substr(7);
    if (path.empty()) return InvalidArgument("'sqlite:' needs a path, as in sqlite:relos.db", "store_url");
  } else {
    // "scheme:..." that is none of ours. A bare path with a colon later on
    // (a Windows drive, "./a:b.db") is not a scheme: schemes are letters
    // followed by ":" at the very start and are at least two letters long.
    size_t colon = url.find(':');
    bool scheme = colon != std::string::npos && colon >= 2;
    for (size_t i = 0; scheme && i < colon; ++i) scheme = std::isalpha(static_cast<unsigned char>(url[i])) != 0;
    if (scheme) return InvalidArgument("unknown store URL scheme in '" + url + "'", "store_url");
  }
  ASSIGN_OR_RETURN(auto store, SqliteStore::Open(path));
  return std::unique_ptr<Store>(std::move(store));
}

}  // namespace relos::storage
