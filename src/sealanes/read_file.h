// Private to relos_sealanes: whole-file reads for the input loaders.
#pragma once

#include <string>

#include "relos/core/status.h"

namespace relos::sealanes::internal {

// The file's bytes; NotFound (reason "path") when it cannot be read.
Result<std::string> ReadWholeFile(const std::string& path);

}  // namespace relos::sealanes::internal
