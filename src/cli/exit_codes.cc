#include "cli/cli_context.h"

namespace relos::cli {

int ExitCodeFor(StatusCode code) {
  switch (code) {
    case StatusCode::kOk: return 0;
    case StatusCode::kInvalidArgument: return 3;
    case StatusCode::kNotFound: return 4;
    case StatusCode::kAlreadyExists: return 5;
    case StatusCode::kPermissionDenied: return 6;
    case StatusCode::kFailedPrecondition: return 7;
    case StatusCode::kResourceExhausted: return 8;
    case StatusCode::kAborted: return 9;
    case StatusCode::kUnavailable: return 10;
    case StatusCode::kDataLoss: return 11;
    case StatusCode::kUnauthenticated: return 12;
    case StatusCode::kInternal: return 70;
  }
  return 70;
}

}  // namespace relos::cli
