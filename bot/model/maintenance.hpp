#pragma once

#include <bot/core/cron.hpp>
#include <bot/core/duration.hpp>
#include <bot/core/time_span.hpp>
#include <bot/core/time_zone.hpp>
#include <bot/model/check.hpp>

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace pw {

// One entry of the config's `maintenance:` list: a one-off window (start/end) or a recurring one
// (cron/duration/timezone). During it a failing check opens no incident and gets no reminder.
struct MaintenanceWindow {
  std::string name;
  std::vector<std::string> checks;  // the check ids it covers; empty: every check
  std::optional<TimeSpan> fixed;    // start/end
  std::optional<CronSchedule> cron;
  std::string cron_text;
  Millis duration{};
  std::string timezone = "UTC";  // the tz database name cron times are read in
  SourceLocation location;
  SourceLocation timezone_location;

  bool covers(const std::string& check) const;
};

// What pauses a check at the moment: a window of the config, an open maintenance issue, or a
// deploy's grace (bot/model/deploy.hpp).
struct Pause {
  std::string by;       // the window's name, "#12" for an issue, "abc1234 to production" for a deploy
  TimePoint until{};    // when the window or grace ends; the epoch for an issue (until it is closed)
  int issue = 0;        // the maintenance issue, 0 for a window
  bool deploy = false;  // a deploy's grace: the check is *deploying*, not in maintenance
  bool operator==(const Pause&) const = default;
};

using Pauses = std::map<std::string, Pause>;  // by check id

// Returns the stretches of `window` that overlap `range`, in order (a recurring window's times
// read in `zone`).
TimeSpans window_spans(const MaintenanceWindow& window, const TimeZone& zone, TimeSpan range);

// Returns the stretch of `window` that covers `now`, if any (of overlapping ones, the one that
// ends last).
std::optional<TimeSpan> active_span(const MaintenanceWindow& window, const TimeZone& zone, TimePoint now);

// Returns the checks of `check_ids` that a window covers at `now`, with the window; `zones` holds
// each window's time zone by name (UTC when missing).
Pauses paused_by_windows(const std::vector<MaintenanceWindow>& windows, const std::map<std::string, TimeZone>& zones,
                         const std::vector<std::string>& check_ids, TimePoint now);

}  // namespace pw
