#pragma once

#include <bot/core/error.hpp>

#include <nlohmann/json_fwd.hpp>

#include <cstddef>
#include <functional>
#include <map>
#include <string>
#include <string_view>

namespace pw {

// Partial templates by name, for {{>name}}.
using Partials = std::map<std::string, std::string, std::less<>>;

// Rendering fails rather than produce more output than this.
inline constexpr std::size_t k_mustache_max_output_bytes = std::size_t{16} * 1024 * 1024;
// Rendering fails when partials include partials deeper than this.
inline constexpr std::size_t k_mustache_max_partial_depth = 64;

// Renders `source` with `context` (a JSON value: objects, arrays, scalars), looking up partials by name.
// Follows the Mustache spec without its optional modules; false, null, 0, "" and [] are falsey.
// Fails on a malformed template with a message naming line and column, e.g.
// "template line 3, column 5: unclosed section \"items\"", and on runaway partials or output.
Expected<std::string> render_mustache(std::string_view source, const nlohmann::json& context,
                                      const Partials& partials = {});

// Parses `source` without rendering; same errors as render_mustache.
Expected<void> check_mustache(std::string_view source);

}  // namespace pw
