// Private to relos_sealanes: the network file format.
//
// Layout (little-endian, the only byte order relos is built for): the magic
// "RELOSSEA", a format version, the payload, and an FNV-1a 64 checksum of
// the payload. The payload holds the land grid as run lengths, the nodes,
// the CSR edges, the passages table, the reference ports and the landmark
// distances.
#pragma once

#include <cstdint>
#include <string>

#include "relos/core/status.h"
#include "sealanes/network_data.h"

namespace relos::sealanes::internal {

// Returns the file size. Unavailable when the file cannot be written.
Result<int64_t> WriteNetworkFile(const NetworkData& data, const std::string& path);
// NotFound when missing; DataLoss when corrupt or of another version.
Status ReadNetworkFile(const std::string& path, NetworkData& data);

}  // namespace relos::sealanes::internal
