// The stored rows of users and their credentials, and the storage seam for
// them (reached through storage::Transaction::Auth(), like the ledger's).
//
// A user belongs to one party and holds one or more roles of the order
// lifecycle (orders::Role). Passwords are kept only as libsodium Argon2id
// strings; session and API tokens only as the hex SHA-256 of the token, so
// a copy of the database lets no one log in.
//
// Thread-safety: values; AuthTables shares its Transaction's rules.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "relos/core/status.h"
#include "relos/core/time.h"
#include "relos/orders/order.h"

namespace relos::auth {

struct User {
  std::string name;   // the login name, unique: [A-Za-z0-9._-], 1..64
  std::string party;  // party code
  std::set<orders::Role> roles;
  std::string password_hash;  // crypto_pwhash_str output; empty = no password login
  bool disabled = false;
  Timestamp created_at;
  Timestamp updated_at;
  friend bool operator==(const User&, const User&) = default;
};

enum class TokenKind { kSession, kApi };
std::string_view Name(TokenKind k);  // "session", "api"
Result<TokenKind> ParseTokenKind(std::string_view s);

struct Token {
  std::string token_hash;  // hex SHA-256 of the secret token
  std::string user;
  TokenKind kind = TokenKind::kSession;
  std::string label;  // what an API token is for; empty for sessions
  Timestamp created_at;
  Timestamp expires_at;
  bool revoked = false;
  friend bool operator==(const Token&, const Token&) = default;
};

class AuthTables {
 public:
  virtual ~AuthTables() = default;
  // Inserts or replaces the user by name.
  virtual Status PutUser(const User& u) = 0;
  // NotFound naming the user.
  virtual Result<User> GetUser(const std::string& name) = 0;
  // Every user, ordered by name.
  virtual Result<std::vector<User>> ListUsers() = 0;
  // AlreadyExists if the hash is taken; NotFound if the user does not exist.
  virtual Status InsertToken(const Token& t) = 0;
  // NotFound (without echoing the hash) if there is no such token.
  virtual Result<Token> GetToken(const std::string& token_hash) = 0;
  // Marks revoked; NotFound if there is no such token.
  virtual Status RevokeToken(const std::string& token_hash) = 0;
  // Revokes every token of the user; returns how many were live.
  virtual Result<int64_t> RevokeUserTokens(const std::string& user) = 0;
  // The user's tokens, oldest first.
  virtual Result<std::vector<Token>> ListTokens(const std::string& user) = 0;
};

}  // namespace relos::auth
