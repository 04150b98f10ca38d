// YAML <-> JSON for registry files. YAML is read into the same Json value the
// JSON reader produces, so one set of decoders serves both; the line of every
// value is remembered so decoding errors can name it.
#pragma once

#include <map>
#include <string>

#include "relos/codec/codec.h"
#include "relos/core/status.h"

namespace relos::codec::internal {

struct YamlDocument {
  Json json;
  // JSON path ("$.units[1].draught_m") -> 1-based line of the value (of the
  // key, for a map member).
  std::map<std::string, int> lines;

  // The line of `path` or, if the path is not in the document (a missing
  // member), of its nearest enclosing value; 0 if none.
  int LineOf(std::string path) const;
};

// Parses one YAML document. Plain scalars are typed by the YAML 1.2 core
// schema (null, true/false, integers, floats, else string); quoted scalars
// are always strings. Errors: InvalidArgument "LINE: reason" for a syntax
// error, a duplicate or non-scalar key, or nesting deeper than 64 levels.
Result<YamlDocument> YamlToJson(const std::string& text);

// Block-style YAML that YamlToJson reads back to `j`. Strings that would be
// read back as another type ("true", "12", "~") are double-quoted.
// InvalidArgument if a string is not valid UTF-8.
Result<std::string> JsonToYaml(const Json& j);

}  // namespace relos::codec::internal
