#pragma once

#include <expected>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace github {

using Headers = std::vector<std::pair<std::string, std::string>>;

struct HttpRequest {
  std::string method;  // "GET", "POST", "PATCH", ...
  std::string url;     // absolute: scheme, host, optional port, path and query
  Headers headers;
  std::string body;
};

struct HttpResponse {
  int status = 0;
  Headers headers;  // names lower-cased
  std::string body;
};

enum class TransportErrorKind { connect, timeout, reset, tls, other };

struct TransportError {
  TransportErrorKind kind = TransportErrorKind::other;
  std::string message;
  // True when the request may have reached the server (and so may have been applied).
  bool request_sent = false;
};

// Sends one HTTP request. The only I/O edge of the client; tests replace it with a fake.
class Transport {
 public:
  virtual ~Transport() = default;
  // Returns the response whatever its status; fails only when no complete response came back.
  virtual std::expected<HttpResponse, TransportError> send(const HttpRequest& request) = 0;
};

// Returns the value of the first header named `name` (case-insensitive), or nullptr.
const std::string* find_header(const Headers& headers, std::string_view name);

// Returns "connect", "timeout", "reset", "tls" or "other".
std::string_view transport_error_kind_name(TransportErrorKind kind);

}  // namespace github
