#pragma once

#include <string>
#include <string_view>

namespace pw::base {

// Percent-encodes everything but RFC 3986 unreserved characters.
std::string percent_encode(std::string_view text);

// Decodes %XX escapes (and '+' as space when `plus_is_space`); malformed escapes stay as they are.
std::string percent_decode(std::string_view text, bool plus_is_space = false);

}  // namespace pw::base
