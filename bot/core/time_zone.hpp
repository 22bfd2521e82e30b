#pragma once

#include <bot/core/clock.hpp>
#include <bot/core/error.hpp>

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace pw {

// Seconds on a local wall clock since 1970-01-01 00:00 of that clock (what a cron expression and
// people read), as opposed to a TimePoint, which is UTC.
using LocalSeconds = std::chrono::seconds;

// A named time zone of the tz database, read from its TZif file (RFC 8536): the transitions it
// lists, then the POSIX TZ rule in its footer for times past the last one (slim files list few).
// Pure: it is built from the file's bytes; reading the file is the caller's.
class TimeZone {
 public:
  // UTC, with no transitions.
  static TimeZone utc();
  // Parses a TZif file (version 1, 2, 3 or 4). Fails with what is wrong with it; `name` goes in
  // the message.
  static Expected<TimeZone> from_tzif(std::string_view bytes, std::string name);

  const std::string& name() const { return m_name; }
  // Returns the offset from UTC (local minus UTC) in effect at `time`.
  std::chrono::seconds offset_at(TimePoint time) const;
  // Returns the local wall time at `time`.
  LocalSeconds to_local(TimePoint time) const;
  // Returns the UTC time of a local wall time. A time the clock shows twice (when it is set back)
  // is its first occurrence; a time the clock skips (when it is set forward) is read with the
  // offset before the change, so 02:30 on a night that jumps from 02:00 to 03:00 is 03:30.
  TimePoint to_utc(LocalSeconds local) const;

 private:
  struct Rule {  // a POSIX TZ string's DST rule
    enum class Kind { julian_no_leap, zero_based_day, month_week_day };
    Kind kind = Kind::month_week_day;
    int day = 0, week = 0, month = 0;  // M month.week.day, or Jn / n in `day`
    std::int64_t time = 7200;          // seconds after local midnight
  };
  struct Posix {
    bool valid = false;
    std::int64_t std_offset = 0;  // local minus UTC
    bool has_dst = false;
    std::int64_t dst_offset = 0;
    Rule start, end;
  };
  static bool parse_posix(std::string_view text, Posix& out);
  std::int64_t posix_offset(std::int64_t utc) const;

  std::string m_name;
  std::vector<std::int64_t> m_transitions;  // UTC seconds, ascending
  std::vector<std::int64_t> m_offsets;      // offset after each transition
  std::int64_t m_initial_offset = 0;        // before the first transition
  Posix m_posix;
};

// True when `name` may name a tz database file: letters, digits, '_', '-', '+' and '/' between
// parts, no "." or ".." part, not absolute.
bool valid_time_zone_name(std::string_view name);

}  // namespace pw
