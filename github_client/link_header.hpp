#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace github {

// One link-value of an RFC 8288 Link header.
struct Link {
  std::string url;                // the target exactly as written between '<' and '>'
  std::vector<std::string> rels;  // relation types, lower-cased ("next", "last", ...)
};

// Parses a Link header; stops at the first malformed link-value and returns those before it.
std::vector<Link> parse_link_header(std::string_view header);

// Returns the target of the first link whose rel includes "next", or nullopt when there is none.
std::optional<std::string> next_link(std::string_view header);

}  // namespace github
