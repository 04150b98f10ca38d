#include "relos/audit/event.h"

#include <sodium.h>

#include <cstdio>

#include "relos/core/status.h"

namespace relos::audit {
namespace {

void AppendField(std::string& out, const std::string& field) {
  // Length-prefixed so that moving bytes from one field to the next changes
  // the encoding.
  out += std::to_string(field.size());
  out += ':';
  out += field;
  out += ';';
}

}  // namespace

std::string Sha256Hex(const std::string& bytes) {
  RELOS_CHECK(sodium_init() >= 0, "libsodium failed to initialise");
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
  char hex[crypto_hash_sha256_BYTES * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  return hex;
}

std::string ComputeEventHash(const Event& e) {
  std::string enc;
  enc.reserve(e.payload.size() + 256);
  AppendField(enc, std::to_string(e.seq));
  AppendField(enc, std::to_string(e.at.unix_seconds()));
  AppendField(enc, e.actor_party);
  AppendField(enc, e.actor_role);
  AppendField(enc, e.actor_name);
  AppendField(enc, e.kind);
  AppendField(enc, e.subject);
  AppendField(enc, e.payload);
  AppendField(enc, e.prev_hash);
  return Sha256Hex(enc);
}

}  // namespace relos::audit
