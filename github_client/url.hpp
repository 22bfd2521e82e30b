#pragma once

#include <base/percent.hpp>

#include <expected>
#include <string>
#include <string_view>

namespace github {

inline constexpr std::string_view k_default_api_url = "https://api.github.com";

// An absolute http(s) URL cut where a connection is chosen: origin and request target.
struct SplitUrl {
  std::string scheme;  // "http" or "https"
  std::string host;
  int port = 0;        // explicit or the scheme's default
  std::string origin;  // "scheme://host[:port]" exactly as written
  std::string target;  // path and query, at least "/"
};

// Splits an absolute http:// or https:// URL; fails with a reason on anything else.
std::expected<SplitUrl, std::string> split_url(std::string_view url);

// Returns the API base URL without trailing slashes; fails when it is not an http(s) URL.
std::expected<std::string, std::string> normalize_api_url(std::string_view url);

// Returns the API base URL from a GITHUB_API_URL value: the default when null or empty.
std::string api_url_from_env(const char* value);

// Percent-encoding, defined in base/ (pw_base) and shared with the bot.
using pw::base::percent_decode;
using pw::base::percent_encode;

}  // namespace github
