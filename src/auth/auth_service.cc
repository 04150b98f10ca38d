#include "relos/auth/auth_service.h"

#include <sodium.h>

#include "relos/audit/chain.h"
#include "relos/codec/codec.h"

namespace relos::auth {
namespace {

using codec::Json;

std::string Hex(const unsigned char* bytes, size_t n) {
  std::string out(n * 2, '\0');
  sodium_bin2hex(out.data(), out.size() + 1, bytes, n);
  return out;
}

Status CheckUserName(const std::string& name) {
  if (name.empty() || name.size() > 64) return InvalidArgument("name: must be 1 to 64 characters", "name");
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
              c == '-';
    if (!ok) return InvalidArgument("name: only letters, digits, '.', '_' and '-' are allowed", "name");
  }
  return OkStatus();
}

// What the chain records about a user: never the password hash.
Json UserPayload(const User& u) {
  Json roles = Json::array();
  for (orders::Role r : u.roles) roles.push_back(std::string(orders::Name(r)));
  return {{"name", u.name}, {"party", u.party}, {"roles", roles}, {"disabled", u.disabled}};
}

Status AppendAuthEvent(storage::Transaction& txn, Timestamp at, const orders::Actor& by, const std::string& kind,
                       const std::string& subject, const Json& payload) {
  audit::EventDraft d{at, by.party, std::string(orders::Name(by.role)), by.name, kind, subject,
                      codec::Canonical(payload)};
  return audit::Append(txn, d).status();
}

// The user acting on their own behalf (login, logout), for the record.
orders::Actor SelfActor(const User& u) {
  return {u.party, u.roles.empty() ? orders::Role::kRequester : *u.roles.begin(), u.name};
}

constexpr char kBadCredentials[] = "wrong user name or password";
constexpr char kBadToken[] = "the token is unknown, expired or revoked";

}  // namespace

std::string HashToken(const std::string& token) {
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(token.data()), token.size());
  return Hex(digest, sizeof digest);
}

AuthService::AuthService(storage::Store& store, const Clock& clock, AuthOptions options)
    : store_(store), clock_(clock), options_(options) {
  if (sodium_init() < 0) std::abort();
}

Result<std::string> AuthService::HashPassword(const std::string& password, const std::string& field) {
  if (password.size() < 10) return InvalidArgument(field + ": must be at least 10 characters", field);
  if (password.size() > 1024) return InvalidArgument(field + ": must be at most 1024 bytes", field);
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(), options_.pwhash_opslimit, options_.pwhash_memlimit,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return ResourceExhausted("not enough memory to hash the password", "auth.pwhash");
  }
  return std::string(out);
}

Result<IssuedToken> AuthService::Issue(storage::Transaction& txn, const User& user, TokenKind kind,
                                       const std::string& label, int64_t ttl_seconds, Timestamp now) {
  unsigned char secret[32];
  randombytes_buf(secret, sizeof secret);
  IssuedToken issued;
  issued.token = "relos_" + Hex(secret, sizeof secret);
  issued.record = {HashToken(issued.token), user.name, kind, label, now, Timestamp(now.unix_seconds() + ttl_seconds),
                   false};
  RETURN_IF_ERROR(txn.Auth().InsertToken(issued.record));
  return issued;
}

Result<User> AuthService::AddUser(const orders::Actor& by, const std::string& name, const std::string& party,
                                  const std::set<orders::Role>& roles, const std::string& password) {
  RETURN_IF_ERROR(CheckUserName(name));
  if (roles.empty()) return InvalidArgument("roles: at least one role", "roles");
  ASSIGN_OR_RETURN(std::string hash, HashPassword(password, "password"));
  ASSIGN_OR_RETURN(auto txn, store_.BeginWrite());
  auto existing = txn->Auth().GetUser(name);
  if (existing.ok()) return AlreadyExists("user '" + name + "' already exists", "auth.duplicate_user");
  if (existing.status().code() != StatusCode::kNotFound) return existing.status();
  auto p = txn->GetParty(party);
  if (!p.ok()) return p.status().WithContext("party");
  const Timestamp now = clock_.Now();
  User u{name, party, roles, hash, false, now, now};
  RETURN_IF_ERROR(txn->Auth().PutUser(u));
  RETURN_IF_ERROR(AppendAuthEvent(*txn, now, by, "user.added", "user/" + name, UserPayload(u)));
  RETURN_IF_ERROR(txn->Commit());
  return u;
}

Result<User> AuthService::ChangeUser(const orders::Actor& by, const std::string& name, const std::string& kind,
                                     const std::function<Result<int64_t>(storage::Transaction&, User&)>& change,
                                     const char* revoked_key) {
  ASSIGN_OR_RETURN(auto txn, store_.BeginWrite());
  ASSIGN_OR_RETURN(User u, txn->Auth().GetUser(name));
  const Timestamp now = clock_.Now();
  ASSIGN_OR_RETURN(int64_t revoked, change(*txn, u));
  u.updated_at = now;
  RETURN_IF_ERROR(txn->Auth().PutUser(u));
  Json payload = UserPayload(u);
  payload[revoked_key] = revoked;
  RETURN_IF_ERROR(AppendAuthEvent(*txn, now, by, kind, "user/" + name, payload));
  RETURN_IF_ERROR(txn->Commit());
  return u;
}

Result<User> AuthService::Disable(const orders::Actor& by, const std::string& name) {
  return ChangeUser(
      by, name, "user.disabled",
      [](storage::Transaction& txn, User& u) -> Result<int64_t> {
        u.disabled = true;
        return txn.Auth().RevokeUserTokens(u.name);
      },
      "tokens_revoked");
}

Result<User> AuthService::SetPassword(const orders::Actor& by, const std::string& name, const std::string& password) {
  ASSIGN_OR_RETURN(std::string hash, HashPassword(password, "password"));
  return ChangeUser(
      by, name, "user.password_changed",
      [&hash](storage::Transaction& txn, User& u) -> Result<int64_t> {
        u.password_hash = hash;
        ASSIGN_OR_RETURN(auto tokens, txn.Auth().ListTokens(u.name));
        int64_t revoked = 0;
        for (const Token& t : tokens) {
          if (t.kind == TokenKind::kSession && !t.revoked) {
            RETURN_IF_ERROR(txn.Auth().RevokeToken(t.token_hash));
            ++revoked;
          }
        }
        return revoked;
      },
      "sessions_revoked");
}

Result<IssuedToken> AuthService::IssueApiToken(const orders::Actor& by, const std::string& name,
                                               const std::string& label, int64_t ttl_seconds) {
  if (label.size() > 200) return InvalidArgument("label: at most 200 characters", "label");
  if (ttl_seconds <= 0) ttl_seconds = options_.api_token_ttl_seconds;
  ASSIGN_OR_RETURN(auto txn, store_.BeginWrite());
  ASSIGN_OR_RETURN(User u, txn->Auth().GetUser(name));
  if (u.disabled) return FailedPrecondition("user '" + name + "' is disabled", "auth.disabled");
  const Timestamp now = clock_.Now();
  ASSIGN_OR_RETURN(IssuedToken issued, Issue(*txn, u, TokenKind::kApi, label, ttl_seconds, now));
  Json payload = {{"user", name}, {"kind", "api"}, {"label", label}, {"expires_at", issued.record.expires_at.ToIso8601()}};
  RETURN_IF_ERROR(AppendAuthEvent(*txn, now, by, "token.issued", "user/" + name, payload));
  RETURN_IF_ERROR(txn->Commit());
  return issued;
}

Result<std::vector<User>> AuthService::ListUsers() {
  ASSIGN_OR_RETURN(auto txn, store_.BeginRead());
  return txn->Auth().ListUsers();
}

bool AuthService::Throttled(const std::string& key, int limit, Timestamp now) {
  auto it = failures_.find(key);
  if (it == failures_.end()) return false;
  auto& times = it->second;
  while (!times.empty() && times.front() <= now.unix_seconds() - options_.failure_window_seconds) times.pop_front();
  if (times.empty()) {
    failures_.erase(it);
    return false;
  }
  return static_cast<int>(times.size()) >= limit;
}

void AuthService::RecordFailure(const std::string& key, Timestamp now) { failures_[key].push_back(now.unix_seconds()); }

const std::string& AuthService::StandInHash() {
  std::call_once(stand_in_once_, [this] {
    unsigned char random[16];
    randombytes_buf(random, sizeof random);
    auto h = HashPassword(Hex(random, sizeof random), "password");
    stand_in_hash_ = h.ok() ? *h : std::string();
  });
  return stand_in_hash_;
}

Result<IssuedToken> AuthService::Login(const std::string& name, const std::string& password,
                                       const std::string& address) {
  const Timestamp now = clock_.Now();
  const std::string account_key = "user:" + name, address_key = "addr:" + address;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (Throttled(account_key, options_.max_failures_per_account, now) ||
        Throttled(address_key, options_.max_failures_per_address, now)) {
      return ResourceExhausted("too many failed logins; try again later", "auth.rate_limited");
    }
  }
  // The password is checked outside any write transaction (Argon2id takes
  // tens of milliseconds and writers are serialised), against a stand-in
  // hash for an unknown user so that the time taken does not tell which
  // names exist. The write transaction then re-reads the user: a change
  // made meanwhile (disabled, new password) wins.
  Result<User> user = NotFound("", "");
  {
    ASSIGN_OR_RETURN(auto read, store_.BeginRead());
    user = read->Auth().GetUser(name);
    if (!user.ok() && user.status().code() != StatusCode::kNotFound) return user.status();
  }
  const std::string& hash = user.ok() && !user->password_hash.empty() ? user->password_hash : StandInHash();
  const bool verified = password.size() <= 1024 &&
                        crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
  ASSIGN_OR_RETURN(auto txn, store_.BeginWrite());
  if (user.ok()) {
    auto fresh = txn->Auth().GetUser(name);
    if (!fresh.ok()) return fresh.status();
    if (fresh->password_hash != user->password_hash) return Unauthenticated(kBadCredentials, "auth.credentials");
    user = std::move(*fresh);
  }
  bool good = user.ok() && !user->disabled && !user->password_hash.empty() && verified;
  if (!good) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      RecordFailure(account_key, now);
      RecordFailure(address_key, now);
    }
    // Only a name that exists is recorded: a mistyped password pasted into
    // the name field must not end up on the chain.
    Json payload = {{"user", user.ok() ? name : std::string()}, {"address", address}};
    orders::Actor who = user.ok() ? SelfActor(*user) : orders::Actor{"", orders::Role::kRequester, "(unknown user)"};
    RETURN_IF_ERROR(AppendAuthEvent(*txn, now, who, "login.failed", user.ok() ? "user/" + name : "login", payload));
    RETURN_IF_ERROR(txn->Commit());
    return Unauthenticated(kBadCredentials, "auth.credentials");
  }
  ASSIGN_OR_RETURN(IssuedToken issued, Issue(*txn, *user, TokenKind::kSession, "", options_.session_ttl_seconds, now));
  Json payload = {{"user", name}, {"kind", "session"}, {"address", address},
                  {"expires_at", issued.record.expires_at.ToIso8601()}};
  RETURN_IF_ERROR(AppendAuthEvent(*txn, now, SelfActor(*user), "session.opened", "user/" + name, payload));
  RETURN_IF_ERROR(txn->Commit());
  return issued;
}

Status AuthService::Logout(const std::string& token) {
  ASSIGN_OR_RETURN(auto txn, store_.BeginWrite());
  auto t = txn->Auth().GetToken(HashToken(token));
  if (!t.ok() || t->revoked) return Unauthenticated(kBadToken, "auth.token");
  ASSIGN_OR_RETURN(User u, txn->Auth().GetUser(t->user));
  RETURN_IF_ERROR(txn->Auth().RevokeToken(t->token_hash));
  const Timestamp now = clock_.Now();
  Json payload = {{"user", u.name}, {"kind", std::string(Name(t->kind))}};
  RETURN_IF_ERROR(AppendAuthEvent(*txn, now, SelfActor(u), "session.closed", "user/" + u.name, payload));
  return txn->Commit();
}

Result<Principal> AuthService::Authenticate(const std::string& token) {
  if (token.size() > 200) return Unauthenticated(kBadToken, "auth.token");
  ASSIGN_OR_RETURN(auto txn, store_.BeginRead());
  auto t = txn->Auth().GetToken(HashToken(token));
  if (!t.ok()) {
    if (t.status().code() == StatusCode::kNotFound) return Unauthenticated(kBadToken, "auth.token");
    return t.status();
  }
  if (t->revoked || !(clock_.Now() < t->expires_at)) return Unauthenticated(kBadToken, "auth.token");
  ASSIGN_OR_RETURN(User u, txn->Auth().GetUser(t->user));
  if (u.disabled) return Unauthenticated(kBadToken, "auth.token");
  return Principal{std::move(u), t->kind, t->expires_at};
}

}  // namespace relos::auth
