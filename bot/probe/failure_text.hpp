#pragma once

#include <bot/core/duration.hpp>
#include <bot/model/evidence.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pw {

// The plain-words `Evidence::error` texts for transport failures. Pure, so tests can pin them.

// Returns "127.0.0.1:9" or "[::1]:8080".
std::string format_endpoint(std::string_view address, int port);

// Returns "timed out after 2s while waiting for response headers" (or "during the TLS handshake").
std::string timeout_text(Millis timeout, Phase phase);

// Returns "DNS lookup for nope.invalid failed: Name or service not known".
std::string dns_failure_text(std::string_view host, std::string_view reason);

// Returns "connection refused by 127.0.0.1:9 (nothing is listening)"; several endpoints are
// joined with "and".
std::string refused_text(const std::vector<std::string>& endpoints);

// Returns the text for a connection the server dropped mid-exchange, e.g. "connection reset
// or closed by 127.0.0.1:8080 while reading the body (after 1024 of 4096 bytes)".
std::string dropped_text(std::string_view endpoint, Phase phase, std::uint64_t body_bytes,
                         std::optional<std::uint64_t> body_length);

// Returns "redirect loop: http://a/x redirects to http://a/y, which was already visited".
std::string redirect_loop_text(std::string_view from, std::string_view to);

// Returns "more than 10 redirects; stopped before following http://a/11".
std::string too_many_redirects_text(std::size_t limit, std::string_view next);

}  // namespace pw
