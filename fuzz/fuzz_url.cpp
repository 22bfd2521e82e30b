// Fuzzes URL parsing (config URLs) and redirect resolution (Location headers are outside
// input). The input is "base\nlocation"; without a newline it is one URL.
// Beyond not crashing: a parsed URL is http(s) with a host, a port in 1-65535 and a target
// that starts with "/" and holds no fragment, space or control byte; normalizing is idempotent:
// parsing to_string() gives the same URL.

#include "fuzz_check.hpp"

#include <bot/model/url.hpp>

#include <string>

namespace {

void check_url(const pw::Url& url) {
  FUZZ_CHECK(url.scheme == "http" || url.scheme == "https");
  FUZZ_CHECK(!url.host.empty());
  FUZZ_CHECK(url.port >= 1 && url.port <= 65535);
  FUZZ_CHECK(url.target.starts_with("/"));
  for (const char ch : url.target) {
    const auto c = static_cast<unsigned char>(ch);
    FUZZ_CHECK(c > 0x20 && c < 0x7F && c != '#');
  }
  const auto again = pw::parse_url(url.to_string());
  FUZZ_CHECK(again.has_value());
  FUZZ_CHECK(again->scheme == url.scheme && again->host == url.host && again->port == url.port &&
             again->target == url.target);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = fuzz::as_text(data, size);
  const std::size_t newline = text.find('\n');
  const auto url = pw::parse_url(text.substr(0, newline));
  if (!url) {
    FUZZ_CHECK(!url.error().message.empty());
    FUZZ_CHECK(fuzz::valid_utf8(url.error().message));
    return 0;
  }
  check_url(*url);
  if (newline == std::string_view::npos) {
    return 0;
  }
  const auto resolved = pw::resolve_location(*url, text.substr(newline + 1));
  if (resolved) {
    check_url(*resolved);
  } else {
    FUZZ_CHECK(fuzz::valid_utf8(resolved.error().message));
  }
  return 0;
}
