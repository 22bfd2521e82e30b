#pragma once

#include <bot/core/clock.hpp>

#include <vector>

namespace pw {

// A stretch of time, [start, end). Monitoring gaps (runs that came late), maintenance windows and
// outages are all lists of these, and uptime is arithmetic over them.
struct TimeSpan {
  TimePoint start{};
  TimePoint end{};

  auto length() const { return end > start ? end - start : TimePoint::duration::zero(); }
  bool contains(TimePoint t) const { return start <= t && t < end; }
  bool operator==(const TimeSpan&) const = default;
};

using TimeSpans = std::vector<TimeSpan>;

}  // namespace pw
