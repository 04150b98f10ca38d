// The bundled demo registry (data/demo/registry.yaml) and demo exercise
// plan (data/demo/exercise.yaml), compiled into the binary so that `relos demo` needs no file at run time.
#pragma once

#include <string_view>

namespace relos::cli {
std::string_view DemoRegistryYaml();
std::string_view DemoExerciseYaml();
}  // namespace relos::cli
