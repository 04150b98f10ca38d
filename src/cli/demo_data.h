// The bundled demo registry (data/demo/registry.yaml), compiled into the
// binary so that `relos demo` needs no file at run time.
#pragma once

#include <string_view>

namespace relos::cli {
std::string_view DemoRegistryYaml();
}  // namespace relos::cli
