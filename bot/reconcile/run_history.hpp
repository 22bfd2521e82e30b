#pragma once

#include <bot/core/duration.hpp>
#include <bot/core/time_span.hpp>
#include <bot/reconcile/marker.hpp>

#include <cstddef>
#include <optional>

namespace pw {

// How many monitoring gaps the dashboard keeps, and for how long: the marker must stay compact.
inline constexpr std::size_t k_max_gaps = 100;
inline constexpr Millis k_gap_retention{Millis(90LL * 24 * 3600 * 1000)};

// When runs are expected, for honest scheduling.
struct RunSchedule {
  std::optional<Millis> expected;  // config `schedule:`; no gap tracking without it
  Millis record_every{0};          // record a run at most this often (watch: its re-list period)
};

// How far past one expected interval this run starts after the previous recorded run, when that
// makes it late (record_run's rule); nullopt when on time, first, or without a schedule.
std::optional<Millis> lateness(const DashboardState& state, TimePoint now, const RunSchedule& schedule);

// Records this run in the dashboard's memory and returns the monitoring gap it found, if any.
// A run is late when the previous recorded run is more than twice the expected interval ago (or
// more than record_every plus one interval, when runs are recorded less often); the gap is the time
// past one expected interval after that run, during which nothing was probed. Gaps that touch
// merge; those older than k_gap_retention, or past the k_max_gaps newest, are dropped.
std::optional<TimeSpan> record_run(DashboardState& state, TimePoint now, const RunSchedule& schedule);

// The gaps overlapping [from, to): how many, and the longest part inside the window.
struct GapSummary {
  std::size_t count = 0;
  Millis longest{0};
  Millis total{0};
};
GapSummary gaps_within(const TimeSpans& gaps, TimePoint from, TimePoint to);

}  // namespace pw
