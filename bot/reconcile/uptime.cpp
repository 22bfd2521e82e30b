#include <bot/reconcile/uptime.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace pw {

namespace {

// True when `t` falls in one of `spans`, which are merged (sorted and disjoint).
bool in_any(const TimeSpans& spans, TimePoint t) {
  const auto after = std::upper_bound(spans.begin(), spans.end(), t,
                                      [](TimePoint value, const TimeSpan& span) { return value < span.start; });
  return after != spans.begin() && std::prev(after)->contains(t);
}

}  // namespace

std::optional<double> Uptime::ratio() const {
  const Millis observed = up + down;
  if (observed <= Millis::zero()) {
    return std::nullopt;
  }
  return static_cast<double>(up.count()) / static_cast<double>(observed.count());
}

Uptime& Uptime::operator+=(const Uptime& other) {
  up += other.up;
  down += other.down;
  unknown += other.unknown;
  maintenance += other.maintenance;
  return *this;
}

Uptime uptime(TimeSpan period, const TimeSpans& down_in, const TimeSpans& unknown_in, const TimeSpans& maintenance_in) {
  Uptime out;
  if (period.end <= period.start) {
    return out;
  }
  const TimeSpans down = merged(down_in);
  const TimeSpans unknown = merged(unknown_in);
  const TimeSpans maintenance = merged(maintenance_in);
  std::vector<TimePoint> cuts{period.start, period.end};
  for (const TimeSpans* list : {&down, &unknown, &maintenance}) {
    for (const TimeSpan& span : *list) {
      for (const TimePoint t : {span.start, span.end}) {
        if (period.start < t && t < period.end) {
          cuts.push_back(t);
        }
      }
    }
  }
  std::sort(cuts.begin(), cuts.end());
  cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
  for (std::size_t i = 0; i + 1 < cuts.size(); ++i) {
    const Millis length = std::chrono::duration_cast<Millis>(cuts[i + 1] - cuts[i]);
    // Every span starts or ends at a cut, so the whole piece is like its first instant.
    if (in_any(maintenance, cuts[i])) {
      out.maintenance += length;
    } else if (in_any(unknown, cuts[i])) {
      out.unknown += length;
    } else if (in_any(down, cuts[i])) {
      out.down += length;
    } else {
      out.up += length;
    }
  }
  return out;
}

TimeSpans outages_of(const DashboardState& state, const std::string& check, TimePoint now) {
  TimeSpans spans;
  for (const PastIncident& past : state.history) {
    if (past.check == check) {
      spans.push_back({past.first_seen, past.closed});
    }
  }
  const auto memory = state.checks.find(check);
  if (memory != state.checks.end() && memory->second.status == CheckMemory::Status::failing &&
      memory->second.incident != 0) {
    spans.push_back({memory->second.since, now});
  }
  return spans;
}

TimeSpans unknown_spans(const DashboardState& state, TimePoint now) {
  TimeSpans unknown{{TimePoint{}, state.since != TimePoint{} ? state.since : now}};
  // Monitoring gaps (runs that came late: nothing was probed then), recorded with `schedule:`.
  for (const TimeSpan& gap : state.gaps) {
    if (gap.start < now) {
      unknown.push_back({gap.start, std::min(gap.end, now)});
    }
  }
  return unknown;
}

std::string format_ratio(const std::optional<double>& ratio) {
  if (!ratio) {
    return "–";
  }
  if (*ratio >= 1.0) {
    return "100%";
  }
  // Floor, not round: 99.9996% is not shown as 100%.
  const double percent = std::floor(*ratio * 10000.0) / 100.0;
  return fmt::format("{:.2f}%", percent);
}

}  // namespace pw
