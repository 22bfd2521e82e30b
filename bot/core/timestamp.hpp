#pragma once

#include <bot/core/clock.hpp>
#include <bot/core/error.hpp>

#include <string>
#include <string_view>

namespace pw {

// Formats a time as ISO 8601 UTC with second precision: "2026-11-27T23:52:28Z".
std::string format_timestamp(TimePoint time);

// Parses "YYYY-MM-DDTHH:MM:SSZ" (fractional seconds allowed); fails on anything else.
Expected<TimePoint> parse_timestamp(std::string_view text);

}  // namespace pw
