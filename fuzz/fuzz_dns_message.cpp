// Fuzzes the DNS response parser: a dns:// check's server (or anything answering on its port)
// sends outside bytes, with compression pointers that may loop or point anywhere.
// Beyond not crashing or hanging: a parsed response has a known rcode name and answers of the
// types the parser keeps, each with a value; an error names where the message went wrong.

#include "fuzz_check.hpp"

#include <bot/probe/dns_message.hpp>

#include <algorithm>
#include <array>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto parsed = pw::parse_dns_response(fuzz::as_text(data, size));
  if (!parsed) {
    FUZZ_CHECK(!parsed.error().message.empty());
    FUZZ_CHECK(fuzz::valid_utf8(parsed.error().message));
    return 0;
  }
  FUZZ_CHECK(!parsed->rcode.empty());
  FUZZ_CHECK(fuzz::valid_utf8(parsed->rcode));
  constexpr std::array<std::string_view, 6> k_kept{"A", "AAAA", "CNAME", "MX", "TXT", "NS"};
  for (const pw::DnsAnswer& answer : parsed->answers) {
    FUZZ_CHECK(std::find(k_kept.begin(), k_kept.end(), answer.type) != k_kept.end());
    FUZZ_CHECK(answer.type == "TXT" || !answer.value.empty());
  }
  // A message of n bytes cannot hold more than n / 11 answers (name pointer, type, class, TTL,
  // length: 10 bytes each, and at least one of data).
  FUZZ_CHECK(parsed->answers.size() <= size / 11 + 1);
  return 0;
}
