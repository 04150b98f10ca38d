#include "relos/auth/tables.h"

namespace relos::auth {

std::string_view Name(TokenKind k) { return k == TokenKind::kSession ? "session" : "api"; }

Result<TokenKind> ParseTokenKind(std::string_view s) {
  if (s == "session") return TokenKind::kSession;
  if (s == "api") return TokenKind::kApi;
  return InvalidArgument("'" + std::string(s) + "' is not a token kind (session, api)", "kind");
}

}  // namespace relos::auth
