#include <bot/reconcile/run_history.hpp>

#include <algorithm>

namespace pw {

std::optional<Millis> lateness(const DashboardState& state, TimePoint now, const RunSchedule& schedule) {
  if (!schedule.expected || *schedule.expected <= Millis(0) || state.last_run == TimePoint{} || state.last_run >= now) {
    return std::nullopt;
  }
  const Millis expected = *schedule.expected;
  const Millis late_after = std::max(2 * expected, schedule.record_every + expected);
  if (now - state.last_run <= late_after) {
    return std::nullopt;
  }
  return std::chrono::duration_cast<Millis>(now - (state.last_run + expected));
}

std::optional<TimeSpan> record_run(DashboardState& state, TimePoint now, const RunSchedule& schedule) {
  std::erase_if(state.gaps, [&](const TimeSpan& gap) { return gap.end <= now - k_gap_retention; });
  if (!schedule.expected || *schedule.expected <= Millis(0)) {
    return std::nullopt;
  }
  const Millis expected = *schedule.expected;
  std::optional<TimeSpan> found;
  if (state.last_run != TimePoint{} && state.last_run < now) {
    if (lateness(state, now, schedule)) {
      found = TimeSpan{state.last_run + expected, now};
      if (!state.gaps.empty() && state.gaps.back().end >= found->start) {
        state.gaps.back().end = std::max(state.gaps.back().end, found->end);
      } else {
        state.gaps.push_back(*found);
      }
    }
  }
  const Millis record_every = std::max(schedule.record_every, expected / 2);
  if (found || state.last_run == TimePoint{} || now - state.last_run >= record_every || now < state.last_run) {
    state.last_run = now;
  }
  if (state.gaps.size() > k_max_gaps) {
    state.gaps.erase(state.gaps.begin(), state.gaps.end() - static_cast<std::ptrdiff_t>(k_max_gaps));
  }
  return found;
}

GapSummary gaps_within(const TimeSpans& gaps, TimePoint from, TimePoint to) {
  GapSummary summary;
  for (const TimeSpan& gap : gaps) {
    const TimeSpan inside{std::max(gap.start, from), std::min(gap.end, to)};
    if (inside.end <= inside.start) {
      continue;
    }
    const Millis length = std::chrono::duration_cast<Millis>(inside.length());
    ++summary.count;
    summary.longest = std::max(summary.longest, length);
    summary.total += length;
  }
  return summary;
}

}  // namespace pw
