#include <bot/probe/failure_text.hpp>

#include <fmt/format.h>

namespace pw {

std::string format_endpoint(std::string_view address, int port) {
  return address.find(':') != std::string_view::npos ? fmt::format("[{}]:{}", address, port)
                                                     : fmt::format("{}:{}", address, port);
}

std::string timeout_text(Millis timeout, Phase phase) {
  const char* joint = phase == Phase::tls ? "during" : "while";
  return fmt::format("timed out after {} {} {}", format_duration(timeout), joint, describe(phase));
}

std::string dns_failure_text(std::string_view host, std::string_view reason) {
  return fmt::format("DNS lookup for {} failed: {}", host, reason);
}

std::string refused_text(const std::vector<std::string>& endpoints) {
  std::string joined;
  for (std::size_t i = 0; i < endpoints.size(); ++i) {
    joined += i == 0 ? "" : (i + 1 == endpoints.size() ? " and " : ", ");
    joined += endpoints[i];
  }
  return fmt::format("connection refused by {} (nothing is listening)", joined);
}

std::string dropped_text(std::string_view endpoint, Phase phase, std::uint64_t body_bytes,
                         std::optional<std::uint64_t> body_length) {
  switch (phase) {
    case Phase::body:
      return body_length ? fmt::format("connection reset or closed by {} while reading the body (after {} of {} bytes)",
                                       endpoint, body_bytes, *body_length)
                         : fmt::format("connection reset or closed by {} while reading the body (after {} bytes)",
                                       endpoint, body_bytes);
    case Phase::headers:
      return fmt::format(
          "connection reset or closed by {} before the response headers were complete (or the reply was not HTTP)",
          endpoint);
    default: return fmt::format("connection reset or closed by {} while {}", endpoint, describe(phase));
  }
}

std::string redirect_loop_text(std::string_view from, std::string_view to) {
  return fmt::format("redirect loop: {} redirects to {}, which was already visited", from, to);
}

std::string too_many_redirects_text(std::size_t limit, std::string_view next) {
  return fmt::format("more than {} redirects; stopped before following {}", limit, next);
}

}  // namespace pw
