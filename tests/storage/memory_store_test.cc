// The conformance suite on MemoryStore.
#include "relos/storage/memory_store.h"
#include "storage/store_conformance.h"

namespace relos::storage::testing {
namespace {

INSTANTIATE_TEST_SUITE_P(Memory, StoreConformanceTest,
                         ::testing::Values(StoreFactory{"memory",
                                                        [](const std::string&) -> Result<std::unique_ptr<Store>> {
                                                          return std::unique_ptr<Store>(std::make_unique<MemoryStore>());
                                                        }}),
                         StoreFactoryName);

}  // namespace
}  // namespace relos::storage::testing
