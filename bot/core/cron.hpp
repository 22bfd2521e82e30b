#pragma once

#include <bot/core/error.hpp>
#include <bot/core/time_zone.hpp>

#include <bitset>
#include <string_view>
#include <vector>

namespace pw {

// A five-field cron expression (minute hour day-of-month month day-of-week), as crontab(5)
// reads it: *, lists, ranges, steps, month and day names, 7 for Sunday, and @hourly, @daily,
// @weekly, @monthly, @yearly. When both day fields are restricted, a day matching either counts.
struct CronSchedule {
  std::bitset<60> minutes;
  std::bitset<24> hours;
  std::bitset<32> days;     // 1..31
  std::bitset<13> months;   // 1..12
  std::bitset<7> weekdays;  // 0 = Sunday
  bool any_day = true;      // the day-of-month field is "*"
  bool any_weekday = true;  // the day-of-week field is "*"

  // Returns the local wall times in [from, to) the schedule fires at, ascending.
  std::vector<LocalSeconds> fire_times(LocalSeconds from, LocalSeconds to) const;
};

// Parses a cron expression; fails with what is wrong, in words for the config's error message.
Expected<CronSchedule> parse_cron(std::string_view text);

}  // namespace pw
