#include "relos/server/json_body.h"

#include <string>

namespace relos::server {
namespace {

// The deepest nesting of [ and { outside strings, stopping early once over
// `limit`. The text need not be valid JSON; nlohmann judges that afterwards.
int NestingDepth(std::string_view text, int limit) {
  int depth = 0, deepest = 0;
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      deepest = std::max(deepest, ++depth);
      if (deepest > limit) return deepest;
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return deepest;
}

Status CheckSizes(const codec::Json& j, const std::string& path, const JsonLimits& limits) {
  if (j.is_string()) {
    if (j.get_ref<const std::string&>().size() > limits.max_string) {
      return InvalidArgument(path + ": a string longer than " + std::to_string(limits.max_string) + " bytes",
                             "string_length");
    }
  } else if (j.is_array()) {
    if (j.size() > limits.max_list) {
      return InvalidArgument(path + ": a list of more than " + std::to_string(limits.max_list) + " elements",
                             "list_size");
    }
    for (size_t i = 0; i < j.size(); ++i) {
      RETURN_IF_ERROR(CheckSizes(j[i], path + "[" + std::to_string(i) + "]", limits));
    }
  } else if (j.is_object()) {
    if (j.size() > limits.max_members) {
      return InvalidArgument(path + ": an object of more than " + std::to_string(limits.max_members) + " members",
                             "object_size");
    }
    for (const auto& [key, value] : j.items()) {
      if (key.size() > limits.max_string) return InvalidArgument(path + ": a key too long", "string_length");
      RETURN_IF_ERROR(CheckSizes(value, path + "." + key, limits));
    }
  }
  return OkStatus();
}

}  // namespace

Result<codec::Json> ParseJsonBody(std::string_view body, const JsonLimits& limits) {
  if (body.empty()) return InvalidArgument("body: a JSON object is required", "body");
  if (NestingDepth(body, limits.max_depth) > limits.max_depth) {
    return InvalidArgument("body: nested deeper than " + std::to_string(limits.max_depth) + " levels", "depth");
  }
  codec::Json j = codec::Json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return InvalidArgument("body: not valid JSON (or not UTF-8)", "body");
  RETURN_IF_ERROR(CheckSizes(j, "$", limits));
  return j;
}

}  // namespace relos::server
