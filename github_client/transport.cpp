#include <github_client/transport.hpp>

#include <algorithm>
#include <cctype>

namespace github {

namespace {

bool equals_ignoring_case(std::string_view a, std::string_view b) {
  return std::ranges::equal(a, b, [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
  });
}

}  // namespace

const std::string* find_header(const Headers& headers, std::string_view name) {
  for (const auto& [key, value] : headers) {
    if (equals_ignoring_case(key, name)) {
      return &value;
    }
  }
  return nullptr;
}

std::string_view transport_error_kind_name(TransportErrorKind kind) {
  switch (kind) {
    case TransportErrorKind::connect: return "connect";
    case TransportErrorKind::timeout: return "timeout";
    case TransportErrorKind::reset: return "reset";
    case TransportErrorKind::tls: return "tls";
    case TransportErrorKind::other: break;
  }
  return "other";
}

}  // namespace github
