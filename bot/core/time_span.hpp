#pragma once

#include <bot/core/clock.hpp>

#include <algorithm>
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

// Returns `spans` sorted, with overlapping and touching spans joined and empty ones dropped.
inline TimeSpans merged(TimeSpans spans) {
  std::erase_if(spans, [](const TimeSpan& span) { return span.end <= span.start; });
  std::sort(spans.begin(), spans.end(), [](const TimeSpan& a, const TimeSpan& b) { return a.start < b.start; });
  TimeSpans out;
  for (const TimeSpan& span : spans) {
    if (!out.empty() && span.start <= out.back().end) {
      out.back().end = std::max(out.back().end, span.end);
    } else {
      out.push_back(span);
    }
  }
  return out;
}

}  // namespace pw
