#pragma once

#include <bot/core/error.hpp>

#include <chrono>
#include <string>
#include <string_view>

namespace pw {

using Millis = std::chrono::milliseconds;

// Parses "250ms", "10s", "5m", "2h", "1d" or a combination such as "1h30m".
// Fails on an empty string, a missing or unknown unit, or an overflow.
Expected<Millis> parse_duration(std::string_view text);

// Formats a duration for people: "250ms", "10s", "5m", "1h 5m", "2d 3h".
std::string format_duration(Millis duration);

}  // namespace pw
