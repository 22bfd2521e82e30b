#pragma once

#include <base/clock.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace pw::base {

// Formats a time as GitHub does: "2026-11-27T23:52:28Z" (UTC, whole seconds).
std::string format_iso8601(TimePoint time);

// Parses "YYYY-MM-DDTHH:MM:SS" with optional fraction and "Z" or "+hh:mm"; nullopt otherwise,
// and for times before 1970 or past TimePoint's end (April 2262).
std::optional<TimePoint> parse_iso8601(std::string_view text);

}  // namespace pw::base
