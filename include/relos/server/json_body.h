// Reading a request's JSON body under limits, before any of it reaches the
// domain: nesting depth is checked on the raw text before nlohmann parses it
// (so a deeply nested document cannot exhaust the stack), then string
// lengths and list sizes on the parsed tree. Every refusal is
// InvalidArgument naming the JSON path (or "body") and the limit.
//
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <string_view>

#include "relos/codec/codec.h"
#include "relos/core/status.h"

namespace relos::server {

struct JsonLimits {
  int max_depth = 16;
  size_t max_string = 4096;   // bytes in one string (keys included)
  size_t max_list = 1000;     // elements in one array
  size_t max_members = 200;   // keys in one object
};

Result<codec::Json> ParseJsonBody(std::string_view body, const JsonLimits& limits);

}  // namespace relos::server
