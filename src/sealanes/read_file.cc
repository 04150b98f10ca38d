#include "sealanes/read_file.h"

#include <fstream>
#include <sstream>

namespace relos::sealanes::internal {

Result<std::string> ReadWholeFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFound("cannot read " + path, "path");
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace relos::sealanes::internal
