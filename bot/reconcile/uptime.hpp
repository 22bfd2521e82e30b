#pragma once

#include <bot/core/duration.hpp>
#include <bot/core/time_span.hpp>
#include <bot/reconcile/marker.hpp>

#include <array>
#include <chrono>
#include <optional>
#include <string>
#include <utility>

namespace pw {

// The periods uptime is shown for, on the dashboard and the status page alike.
inline constexpr std::array<std::pair<const char*, std::chrono::hours>, 4> k_uptime_periods{{
    {"24h", std::chrono::hours(24)},
    {"7d", std::chrono::hours(24 * 7)},
    {"30d", std::chrono::hours(24 * 30)},
    {"90d", std::chrono::hours(24 * 90)},
}};

// How one stretch of time divides for one check. Time in maintenance and time not observed
// (unknown) are kept apart and never count as up.
struct Uptime {
  Millis up{};
  Millis down{};
  Millis unknown{};
  Millis maintenance{};

  // Returns up ÷ (up + down), the share of observed time outside maintenance that the check
  // passed; nullopt when no such time is known.
  std::optional<double> ratio() const;
  Uptime& operator+=(const Uptime& other);
};

// Returns how `period` divides: time in `maintenance` first, then `unknown`, then `down`, the
// rest up. The span lists may overlap and be unsorted.
Uptime uptime(TimeSpan period, const TimeSpans& down, const TimeSpans& unknown, const TimeSpans& maintenance);

// Returns the outages of `check` that the dashboard knows: its closed incidents from the history,
// and the open one from its memory (until `now`).
TimeSpans outages_of(const DashboardState& state, const std::string& check, TimePoint now);

// Returns the time the dashboard did not observe until `now`: before its first run (all of it
// when that is not known yet) and the monitoring gaps: the one place uptime reads them.
TimeSpans unknown_spans(const DashboardState& state, TimePoint now);

// Formats a ratio for people: "99.95%", "100%"; "–" when unknown.
std::string format_ratio(const std::optional<double>& ratio);

}  // namespace pw
