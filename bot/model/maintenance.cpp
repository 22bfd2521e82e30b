#include <bot/model/maintenance.hpp>

#include <algorithm>

namespace pw {

bool MaintenanceWindow::covers(const std::string& check) const {
  return checks.empty() || std::find(checks.begin(), checks.end(), check) != checks.end();
}

TimeSpans window_spans(const MaintenanceWindow& window, const TimeZone& zone, TimeSpan range) {
  TimeSpans spans;
  const auto overlaps = [&](const TimeSpan& span) { return span.start < range.end && range.start < span.end; };
  if (window.fixed) {
    if (overlaps(*window.fixed)) {
      spans.push_back(*window.fixed);
    }
    return spans;
  }
  if (!window.cron || window.duration <= Millis::zero() || range.end <= range.start) {
    return spans;
  }
  // Local times a day wider on each side than the range: offsets are below a day, and a window
  // that started up to `duration` before the range may still cover it.
  const auto day = std::chrono::hours(24);
  const LocalSeconds from =
      std::chrono::floor<std::chrono::seconds>(zone.to_local(range.start) - window.duration) - day;
  const LocalSeconds to = zone.to_local(range.end) + day;
  for (const LocalSeconds local : window.cron->fire_times(from, to)) {
    const TimePoint start = zone.to_utc(local);
    const TimeSpan span{start, start + window.duration};
    if (overlaps(span)) {
      spans.push_back(span);
    }
  }
  return merged(std::move(spans));  // a window every minute for two minutes is one stretch
}

std::optional<TimeSpan> active_span(const MaintenanceWindow& window, const TimeZone& zone, TimePoint now) {
  std::optional<TimeSpan> best;
  for (const TimeSpan& span : window_spans(window, zone, {now, now + std::chrono::seconds(1)})) {
    if (span.contains(now) && (!best || span.end > best->end)) {
      best = span;
    }
  }
  return best;
}

Pauses paused_by_windows(const std::vector<MaintenanceWindow>& windows, const std::map<std::string, TimeZone>& zones,
                         const std::vector<std::string>& check_ids, TimePoint now) {
  Pauses paused;
  const TimeZone utc = TimeZone::utc();
  for (const MaintenanceWindow& window : windows) {
    const auto zone = zones.find(window.timezone);
    const auto span = active_span(window, zone != zones.end() ? zone->second : utc, now);
    if (!span) {
      continue;
    }
    for (const std::string& id : check_ids) {
      if (!window.covers(id)) {
        continue;
      }
      auto [entry, inserted] = paused.emplace(id, Pause{window.name, span->end, 0});
      if (!inserted && span->end > entry->second.until) {
        entry->second = Pause{window.name, span->end, 0};
      }
    }
  }
  return paused;
}

}  // namespace pw
