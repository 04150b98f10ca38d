// libFuzzer target: ParseJsonBody, which reads every request body before
// any of it reaches the domain. Whatever the bytes, it returns a document
// within the limits or InvalidArgument naming the field and the limit.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <algorithm>
#include <string>
#include <string_view>

#include "relos/server/json_body.h"

namespace {

// Deepest nesting, most members, longest string and list in a parsed tree.
// `depth` is how many containers enclose `j`.
void Measure(const relos::codec::Json& j, int depth, int& deepest, size_t& widest, size_t& longest) {
  if (j.is_string()) {
    longest = std::max(longest, j.get_ref<const std::string&>().size());
  } else if (j.is_array() || j.is_object()) {
    deepest = std::max(deepest, depth + 1);
    widest = std::max(widest, j.size());
    for (const auto& [key, value] : j.items()) {
      if (j.is_object()) longest = std::max(longest, key.size());
      Measure(value, depth + 1, deepest, widest, longest);
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  relos::server::JsonLimits limits;
  limits.max_depth = 8;
  limits.max_string = 64;
  limits.max_list = 16;
  limits.max_members = 16;
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  auto parsed = relos::server::ParseJsonBody(body, limits);
  if (!parsed.ok()) {
    if (parsed.status().code() != relos::StatusCode::kInvalidArgument || parsed.status().message().empty()) {
      std::fprintf(stderr, "refused without a reason: %s\n", parsed.status().ToString().c_str());
      std::abort();
    }
    return 0;
  }
  // Depth counts containers: a scalar is 0 deep, [] 1, [[]] 2.
  int deepest = 0;
  size_t widest = 0, longest = 0;
  Measure(*parsed, 0, deepest, widest, longest);
  if (deepest > limits.max_depth || widest > std::max(limits.max_list, limits.max_members) ||
      longest > limits.max_string) {
    std::fprintf(stderr, "accepted a body over the limits: depth %d, width %zu, string %zu\n", deepest, widest,
                 longest);
    std::abort();
  }
  return 0;
}
