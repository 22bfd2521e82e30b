#pragma once

#include <bot/core/error.hpp>
#include <bot/model/evidence.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace pw {

// Returns the numeric DNS type of "A", "AAAA", "CNAME", "MX", "TXT" or "NS", or nullopt.
std::optional<std::uint16_t> dns_type_of(std::string_view record);

// Returns a DNS query (RFC 1035, one question, recursion desired) for `name` and `type`.
// Fails when a label is empty or longer than 63 bytes, or the name longer than 253.
Expected<std::string> encode_dns_query(std::uint16_t id, std::string_view name, std::uint16_t type);

// What a response said: its id, response code and the answer records as text.
struct DnsResponse {
  std::uint16_t id = 0;
  std::string rcode;  // "NOERROR", "NXDOMAIN", ...
  std::vector<DnsAnswer> answers;
};

// Parses a DNS response datagram (names may be compressed). Records of other types than A,
// AAAA, CNAME, MX, TXT and NS are skipped. Fails, saying where, on a truncated or malformed
// message.
Expected<DnsResponse> parse_dns_response(std::string_view message);

}  // namespace pw
