#include <github_client/error.hpp>

namespace github {

std::string Error::to_string() const {
  if (may_have_applied) {
    return message + " The change may have been applied on GitHub; check before trying again.";
  }
  return message;
}

std::string_view error_kind_name(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::unauthorized: return "unauthorized";
    case ErrorKind::forbidden: return "forbidden";
    case ErrorKind::not_found: return "not_found";
    case ErrorKind::gone: return "gone";
    case ErrorKind::moved: return "moved";
    case ErrorKind::validation: return "validation";
    case ErrorKind::rate_limited: return "rate_limited";
    case ErrorKind::server_error: return "server_error";
    case ErrorKind::request_rejected: return "request_rejected";
    case ErrorKind::transport: return "transport";
    case ErrorKind::decode: return "decode";
    case ErrorKind::budget_exhausted: return "budget_exhausted";
    case ErrorKind::invalid_argument: return "invalid_argument";
  }
  return "unknown";
}

std::string describe(const ValidationError& error) {
  std::string text = error.resource;
  if (!error.field.empty()) {
    text += text.empty() ? error.field : "." + error.field;
  }
  if (!error.code.empty()) {
    text += text.empty() ? error.code : " " + error.code;
  }
  if (!error.message.empty()) {
    text += text.empty() ? error.message : ": " + error.message;
  }
  return text.empty() ? "unspecified" : text;
}

}  // namespace github
