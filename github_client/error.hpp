#pragma once

#include <expected>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace github {

enum class ErrorKind {
  unauthorized,      // 401: the token is missing, wrong or expired
  forbidden,         // 403 that is not a rate limit: the token lacks a permission
  not_found,         // 404: no such repository or issue, or the token cannot see it
  gone,              // 410: issues are disabled on the repository
  moved,             // 301: moved for good (a transferred issue, a renamed repository); `message` says where
  validation,        // 422: GitHub rejected the input; see `errors`
  rate_limited,      // 403/429 rate limit that retries did not outlast
  server_error,      // 5xx after every retry
  request_rejected,  // any other 4xx (400, 409, 3xx redirects we do not follow, ...)
  transport,         // no complete response: connect, TLS, reset, timeout
  decode,            // a response we could not understand
  budget_exhausted,  // the run's wait budget would be exceeded
  invalid_argument,  // the caller passed something unusable (repository name, API URL)
};

// One entry of a 422 response's `errors` array.
struct ValidationError {
  std::string resource;  // "Issue", "Label", ...
  std::string code;      // "missing_field", "invalid", "already_exists", "custom", ...
  std::string field;
  std::string message;  // set for code "custom"
  std::string value;    // the rejected value, when GitHub echoes it

  friend bool operator==(const ValidationError&, const ValidationError&) = default;
};

struct Error {
  ErrorKind kind = ErrorKind::decode;
  int status = 0;  // HTTP status when there was one, else 0
  std::string message;
  std::vector<ValidationError> errors;
  // True when a write may have reached GitHub although no success was seen: check before redoing it.
  bool may_have_applied = false;

  // Returns the message, plus a warning when the change may have been applied.
  std::string to_string() const;
};

template <class T>
using Result = std::expected<T, Error>;

// An error as the unexpected value of a Result: `return fail(error);`.
inline std::unexpected<Error> fail(Error error) { return std::unexpected(std::move(error)); }

// Returns a stable lower-case name: "unauthorized", "rate_limited", ...
std::string_view error_kind_name(ErrorKind kind);

// Returns "Issue.title missing_field" style text for one validation error.
std::string describe(const ValidationError& error);

}  // namespace github
