// Status and Result<T>: how every fallible call across a module boundary
// reports failure. Shaped like absl::Status / absl::StatusOr, with one
// addition: a machine-readable `reason` (for example "policy.excluded_item")
// that names the exact rule that refused a request, so the CLI, the API and
// tests can tell two refusals with the same code apart.
//
// Thread-safety: values; safe to copy across threads.
#pragma once

#include <cstdlib>
#include <iostream>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace relos {

// Which code to use when (see also docs/errors.md):
enum class StatusCode {
  kOk = 0,
  kInvalidArgument,     // malformed or out-of-range input; the caller must fix it
  kNotFound,            // an id or code that does not exist (or is not visible)
  kAlreadyExists,       // duplicate, or an idempotency key replayed with other content
  kPermissionDenied,    // wrong party or role for this action
  kFailedPrecondition,  // the object is in the wrong state, or a policy rule refuses
  kResourceExhausted,   // over a capacity, stock or ceiling
  kAborted,             // lost a concurrency race (stale version); retry may work
  kUnavailable,         // the database or a dependency cannot be reached
  kUnauthenticated,     // no valid credentials
  kDataLoss,            // stored data failed an integrity check
  kInternal,            // a bug
};

std::string_view StatusCodeName(StatusCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message, std::string reason = {})
      : code_(code), message_(std::move(message)), reason_(std::move(reason)) {}

  static Status Ok() { return Status(); }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }
  // Machine-readable name of the rule or field at fault; may be empty.
  const std::string& reason() const { return reason_; }

  // "CODE: message" or "CODE [reason]: message".
  std::string ToString() const;

  // Returns a copy whose message is prefixed with `context + ": "`.
  Status WithContext(std::string_view context) const;

  // Marks a Status as deliberately ignored.
  void IgnoreError() const {}

  friend bool operator==(const Status& a, const Status& b) {
    return a.code_ == b.code_ && a.message_ == b.message_ && a.reason_ == b.reason_;
  }

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
  std::string reason_;
};

std::ostream& operator<<(std::ostream& os, const Status& s);

inline Status OkStatus() { return Status(); }
inline Status InvalidArgument(std::string m, std::string r = {}) { return {StatusCode::kInvalidArgument, std::move(m), std::move(r)}; }
inline Status NotFound(std::string m, std::string r = {}) { return {StatusCode::kNotFound, std::move(m), std::move(r)}; }
inline Status AlreadyExists(std::string m, std::string r = {}) { return {StatusCode::kAlreadyExists, std::move(m), std::move(r)}; }
inline Status PermissionDenied(std::string m, std::string r = {}) { return {StatusCode::kPermissionDenied, std::move(m), std::move(r)}; }
inline Status FailedPrecondition(std::string m, std::string r = {}) { return {StatusCode::kFailedPrecondition, std::move(m), std::move(r)}; }
inline Status ResourceExhausted(std::string m, std::string r = {}) { return {StatusCode::kResourceExhausted, std::move(m), std::move(r)}; }
inline Status Aborted(std::string m, std::string r = {}) { return {StatusCode::kAborted, std::move(m), std::move(r)}; }
inline Status Unavailable(std::string m, std::string r = {}) { return {StatusCode::kUnavailable, std::move(m), std::move(r)}; }
inline Status Unauthenticated(std::string m, std::string r = {}) { return {StatusCode::kUnauthenticated, std::move(m), std::move(r)}; }
inline Status DataLoss(std::string m, std::string r = {}) { return {StatusCode::kDataLoss, std::move(m), std::move(r)}; }
inline Status Internal(std::string m, std::string r = {}) { return {StatusCode::kInternal, std::move(m), std::move(r)}; }

// Result<T> holds either a T or a non-OK Status. Constructing it from an OK
// Status is a bug and aborts.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(const T& value) : v_(value) {}                 // NOLINT: implicit by design
  Result(T&& value) : v_(std::move(value)) {}           // NOLINT
  Result(const Status& status) : v_(status) { CheckNotOk(); }  // NOLINT
  Result(Status&& status) : v_(std::move(status)) { CheckNotOk(); }  // NOLINT

  bool ok() const { return std::holds_alternative<T>(v_); }
  Status status() const { return ok() ? Status() : std::get<Status>(v_); }

  // Precondition: ok(). Aborts otherwise, printing the status.
  const T& value() const& { CheckOk(); return std::get<T>(v_); }
  T& value() & { CheckOk(); return std::get<T>(v_); }
  T&& value() && { CheckOk(); return std::get<T>(std::move(v_)); }
  const T& operator*() const& { return value(); }
  T& operator*() & { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  const T* operator->() const { return &value(); }
  T* operator->() { return &value(); }

 private:
  void CheckNotOk() const {
    if (std::get<Status>(v_).ok()) {
      std::cerr << "relos: Result constructed from an OK status\n";
      std::abort();
    }
  }
  void CheckOk() const {
    if (!ok()) {
      std::cerr << "relos: value() on an error Result: " << std::get<Status>(v_) << "\n";
      std::abort();
    }
  }
  std::variant<T, Status> v_;
};

namespace internal {
inline const Status& AsStatus(const Status& s) { return s; }
template <typename T>
Status AsStatus(const Result<T>& r) { return r.status(); }
[[noreturn]] void CheckFailed(const char* file, int line, const char* cond, std::string_view msg);
}  // namespace internal

}  // namespace relos

#define RELOS_CONCAT_INNER(a, b) a##b
#define RELOS_CONCAT(a, b) RELOS_CONCAT_INNER(a, b)

// Returns the Status from the enclosing function if `expr` is not OK.
#define RETURN_IF_ERROR(expr)                                         \
  do {                                                                \
    ::relos::Status relos_status_ = ::relos::internal::AsStatus(expr); \
    if (!relos_status_.ok()) return relos_status_;                    \
  } while (0)

// ASSIGN_OR_RETURN(auto x, FunctionReturningResult());
#define ASSIGN_OR_RETURN(lhs, expr) \
  ASSIGN_OR_RETURN_IMPL(RELOS_CONCAT(relos_result_, __LINE__), lhs, expr)
#define ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                          \
  if (!tmp.ok()) return tmp.status();         \
  lhs = std::move(tmp).value()

// Always-on invariant check: a broken invariant of our own making is a crash.
#define RELOS_CHECK(cond, msg)                                             \
  do {                                                                     \
    if (!(cond)) ::relos::internal::CheckFailed(__FILE__, __LINE__, #cond, (msg)); \
  } while (0)
