#include <base/iso8601.hpp>

#include <fmt/format.h>

namespace pw::base {

namespace {

// Reads exactly `count` digits at `pos`; advances `pos` on success.
std::optional<int> read_digits(std::string_view text, std::size_t& pos, std::size_t count) {
  if (pos + count > text.size()) {
    return std::nullopt;
  }
  int value = 0;
  for (std::size_t i = 0; i < count; ++i) {
    char c = text[pos + i];
    if (c < '0' || c > '9') {
      return std::nullopt;
    }
    value = value * 10 + (c - '0');
  }
  pos += count;
  return value;
}

bool expect_char(std::string_view text, std::size_t& pos, char c) {
  if (pos < text.size() && text[pos] == c) {
    ++pos;
    return true;
  }
  return false;
}

}  // namespace

std::string format_iso8601(TimePoint time) {
  auto seconds = std::chrono::floor<std::chrono::seconds>(time);
  auto days = std::chrono::floor<std::chrono::days>(seconds);
  std::chrono::year_month_day date{days};
  std::chrono::hh_mm_ss clock_time{seconds - days};
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", static_cast<int>(date.year()),
                     static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()), clock_time.hours().count(),
                     clock_time.minutes().count(), clock_time.seconds().count());
}

std::optional<TimePoint> parse_iso8601(std::string_view text) {
  std::size_t pos = 0;
  auto year = read_digits(text, pos, 4);
  if (!year || !expect_char(text, pos, '-')) {
    return std::nullopt;
  }
  auto month = read_digits(text, pos, 2);
  if (!month || !expect_char(text, pos, '-')) {
    return std::nullopt;
  }
  auto day = read_digits(text, pos, 2);
  if (!day || !expect_char(text, pos, 'T')) {
    return std::nullopt;
  }
  auto hour = read_digits(text, pos, 2);
  if (!hour || !expect_char(text, pos, ':')) {
    return std::nullopt;
  }
  auto minute = read_digits(text, pos, 2);
  if (!minute || !expect_char(text, pos, ':')) {
    return std::nullopt;
  }
  auto second = read_digits(text, pos, 2);
  if (!second) {
    return std::nullopt;
  }
  if (expect_char(text, pos, '.')) {
    std::size_t digits = 0;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      ++pos;
      ++digits;
    }
    if (digits == 0) {
      return std::nullopt;
    }
  }
  int offset_minutes = 0;
  if (expect_char(text, pos, 'Z')) {
    // UTC
  } else if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
    int sign = text[pos] == '+' ? 1 : -1;
    ++pos;
    auto offset_hours = read_digits(text, pos, 2);
    if (!offset_hours || !expect_char(text, pos, ':')) {
      return std::nullopt;
    }
    auto offset_mins = read_digits(text, pos, 2);
    if (!offset_mins || *offset_hours > 23 || *offset_mins > 59) {
      return std::nullopt;
    }
    offset_minutes = sign * (*offset_hours * 60 + *offset_mins);
  } else {
    return std::nullopt;
  }
  if (pos != text.size()) {
    return std::nullopt;
  }
  std::chrono::year_month_day date{std::chrono::year{*year}, std::chrono::month{static_cast<unsigned>(*month)},
                                   std::chrono::day{static_cast<unsigned>(*day)}};
  if (!date.ok() || *year < 1970 || *hour > 23 || *minute > 59 || *second > 60) {
    return std::nullopt;
  }
  const std::chrono::sys_seconds time = std::chrono::sys_days{date} + std::chrono::hours{*hour} +
                                        std::chrono::minutes{*minute} + std::chrono::seconds{*second} -
                                        std::chrono::minutes{offset_minutes};
  // TimePoint counts nanoseconds in 64 bits, so it ends in April 2262; an offset can move a
  // time back before 1970, which format_iso8601 would write as a time this rejects.
  constexpr auto k_latest = std::chrono::floor<std::chrono::seconds>(TimePoint::max());
  if (time < std::chrono::sys_seconds{} || time > k_latest) {
    return std::nullopt;
  }
  return std::chrono::time_point_cast<TimePoint::duration>(time);
}

}  // namespace pw::base
