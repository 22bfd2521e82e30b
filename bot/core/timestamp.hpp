#pragma once

#include <bot/core/clock.hpp>

#include <base/iso8601.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace pw {

// Formats a time as ISO 8601 UTC with second precision: "2026-11-27T23:52:28Z".
inline std::string format_timestamp(TimePoint time) { return base::format_iso8601(time); }
// Reads what format_timestamp and GitHub write; nullopt when it is not such a time.
inline std::optional<TimePoint> parse_timestamp(std::string_view text) { return base::parse_iso8601(text); }

// Formats a time for people in issues: "2026-11-27 23:52 UTC".
std::string format_human_time(TimePoint time);

}  // namespace pw
