// Users, passwords, sessions and API tokens: every change to them goes
// through here, from `relos user ...` and from the HTTP API alike, each in
// one write transaction that appends its audit event (user.added,
// user.disabled, user.password_changed, token.issued, session.opened,
// session.closed, login.failed). Secrets never reach the chain or a log:
// events carry the user, party, roles, token kind and expiry only.
//
// Passwords are hashed with Argon2id (libsodium crypto_pwhash_str). A token
// is 32 random bytes shown once as "relos_<hex>"; only its SHA-256 is stored.
// Failed logins are counted per account and per client address over a
// sliding window; past the limit, Login refuses with ResourceExhausted
// (reason "auth.rate_limited") without checking the password. The counters
// live in this process.
//
// Thread-safety: thread-safe if the Store is. Borrows store and clock.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <string>

#include "relos/auth/tables.h"
#include "relos/core/time.h"
#include "relos/orders/order.h"
#include "relos/storage/store.h"

namespace relos::auth {

struct AuthOptions {
  int64_t session_ttl_seconds = 8 * 3600;
  int64_t api_token_ttl_seconds = 365 * 86400;
  int max_failures_per_account = 5;
  int max_failures_per_address = 20;
  int64_t failure_window_seconds = 15 * 60;
  // Argon2id cost; tests lower it (crypto_pwhash_OPSLIMIT_MIN/MEMLIMIT_MIN).
  uint64_t pwhash_opslimit = 2;              // crypto_pwhash_OPSLIMIT_INTERACTIVE
  size_t pwhash_memlimit = 64 * 1024 * 1024;  // crypto_pwhash_MEMLIMIT_INTERACTIVE
};

// Who a request is from, once its token checks out.
struct Principal {
  User user;
  TokenKind kind = TokenKind::kSession;
  Timestamp expires_at;
};

struct IssuedToken {
  std::string token;  // the secret, shown once
  Token record;
};

// Hex SHA-256 of a token: what the store keeps and looks up.
std::string HashToken(const std::string& token);

class AuthService {
 public:
  AuthService(storage::Store& store, const Clock& clock, AuthOptions options = {});

  // `by` is who makes the change (the operator at the CLI, or an admin
  // through the API), for the record. InvalidArgument naming the field for
  // a bad name, an empty role set or a password shorter than 10 or longer
  // than 1024 bytes; NotFound for an unknown party; AlreadyExists for a
  // taken name.
  Result<User> AddUser(const orders::Actor& by, const std::string& name, const std::string& party,
                       const std::set<orders::Role>& roles, const std::string& password);
  // Disables the user and revokes every token of theirs.
  Result<User> Disable(const orders::Actor& by, const std::string& name);
  // Sets a new password and revokes the user's sessions (API tokens stay).
  Result<User> SetPassword(const orders::Actor& by, const std::string& name, const std::string& password);
  // An API token for a machine client; ttl_seconds <= 0 takes the default.
  Result<IssuedToken> IssueApiToken(const orders::Actor& by, const std::string& name, const std::string& label,
                                    int64_t ttl_seconds);
  Result<std::vector<User>> ListUsers();

  // Unauthenticated (the same message whatever was wrong) for an unknown
  // user, a wrong password or a disabled user; ResourceExhausted when rate
  // limited. `address` is the client's IP address.
  Result<IssuedToken> Login(const std::string& name, const std::string& password, const std::string& address);
  // Revokes the session or API token. Unauthenticated if it is not live.
  Status Logout(const std::string& token);
  // The principal behind a live token, or Unauthenticated.
  Result<Principal> Authenticate(const std::string& token);

 private:
  // True if `key` has reached `limit` failures within the window (and
  // forgets failures older than the window).
  bool Throttled(const std::string& key, int limit, Timestamp now);
  void RecordFailure(const std::string& key, Timestamp now);
  // Loads the user, lets `change` alter it (returning how many tokens it
  // revoked, recorded under `revoked_key`), stores it and appends `kind`.
  Result<User> ChangeUser(const orders::Actor& by, const std::string& name, const std::string& kind,
                          const std::function<Result<int64_t>(storage::Transaction&, User&)>& change,
                          const char* revoked_key);
  Result<std::string> HashPassword(const std::string& password, const std::string& field);
  // A hash of a random password, made once: what an unknown user's
  // password is checked against.
  const std::string& StandInHash();
  Result<IssuedToken> Issue(storage::Transaction& txn, const User& user, TokenKind kind, const std::string& label,
                            int64_t ttl_seconds, Timestamp now);

  storage::Store& store_;
  const Clock& clock_;
  AuthOptions options_;
  std::once_flag stand_in_once_;
  std::string stand_in_hash_;
  std::mutex mu_;  // guards failures_
  std::map<std::string, std::deque<int64_t>> failures_;
};

}  // namespace relos::auth
