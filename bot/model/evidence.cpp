#include <bot/model/evidence.hpp>

namespace pw {

const char* to_string(TransportFailure failure) {
  switch (failure) {
    case TransportFailure::none: return "none";
    case TransportFailure::invalid_url: return "invalid_url";
    case TransportFailure::dns: return "dns";
    case TransportFailure::refused: return "refused";
    case TransportFailure::tls: return "tls";
    case TransportFailure::timeout: return "timeout";
    case TransportFailure::reset: return "reset";
    case TransportFailure::too_many_redirects: return "too_many_redirects";
    case TransportFailure::redirect_loop: return "redirect_loop";
    case TransportFailure::other: return "other";
  }
  return "other";
}

const char* describe(Phase phase) {
  switch (phase) {
    case Phase::resolve: return "resolving the name";
    case Phase::connect: return "connecting";
    case Phase::tls: return "the TLS handshake";
    case Phase::write: return "sending the request";
    case Phase::headers: return "waiting for response headers";
    case Phase::body: return "reading the body";
  }
  return "connecting";
}

const std::string* Evidence::header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (key == name) {
      return &value;
    }
  }
  return nullptr;
}

}  // namespace pw
