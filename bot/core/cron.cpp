#include <bot/core/cron.hpp>

#include <bot/core/text.hpp>

#include <fmt/format.h>

#include <array>
#include <chrono>
#include <string>

namespace pw {

namespace {

struct Field {
  const char* name;
  int low;
  int high;
  std::array<const char*, 13> names;  // names[i] is value low + i; empty when none
};

constexpr Field k_fields[] = {
    {"minute", 0, 59, {}},
    {"hour", 0, 23, {}},
    {"day of month", 1, 31, {}},
    {"month", 1, 12, {"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"}},
    {"day of week", 0, 7, {"sun", "mon", "tue", "wed", "thu", "fri", "sat", "sun"}},
};

Expected<int> value_of(std::string_view text, const Field& field) {
  const std::string lowered = to_lower(text);
  for (std::size_t i = 0; i < field.names.size(); ++i) {
    if (field.names[i] != nullptr && lowered == field.names[i]) {
      return field.low + static_cast<int>(i);
    }
  }
  int value = 0;
  if (text.empty() || text.size() > 2 || text.find_first_not_of("0123456789") != std::string_view::npos) {
    return fail(fmt::format("\"{}\" is not a {}", text, field.name));
  }
  for (const char c : text) {
    value = value * 10 + (c - '0');
  }
  if (value < field.low || value > field.high) {
    return fail(fmt::format("{} {} is out of range {}-{}", field.name, value, field.low, field.high));
  }
  return value;
}

// Parses one field into `bits` (indexed by value).
template <std::size_t N>
Expected<void> parse_field(std::string_view text, const Field& field, std::bitset<N>& bits) {
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t comma = std::min(text.find(',', start), text.size());
    std::string_view item = text.substr(start, comma - start);
    start = comma + 1;
    int step = 1;
    if (const std::size_t slash = item.find('/'); slash != std::string_view::npos) {
      const std::string_view step_text = item.substr(slash + 1);
      if (step_text.empty() || step_text.size() > 2 ||
          step_text.find_first_not_of("0123456789") != std::string_view::npos ||
          std::stoi(std::string(step_text)) == 0) {
        return fail(fmt::format("step \"{}\" in the {} field must be a number from 1", step_text, field.name));
      }
      step = std::stoi(std::string(step_text));
      item = item.substr(0, slash);
    }
    int low = field.low;
    int high = field.high;
    if (item != "*") {
      const std::size_t dash = item.find('-');
      auto first = value_of(item.substr(0, dash), field);
      if (!first) {
        return std::unexpected(first.error());
      }
      low = *first;
      high = *first;
      if (dash != std::string_view::npos) {
        auto last = value_of(item.substr(dash + 1), field);
        if (!last) {
          return std::unexpected(last.error());
        }
        high = *last;
      } else if (step != 1) {
        high = field.high;  // "5/15": from 5 on
      }
      if (high < low) {
        return fail(fmt::format("range {}-{} in the {} field runs backwards", low, high, field.name));
      }
    }
    for (int v = low; v <= high; v += step) {
      bits.set(static_cast<std::size_t>(N == 7 ? v % 7 : v));  // day of week 7 is Sunday, 0
    }
  }
  return {};
}

}  // namespace

Expected<CronSchedule> parse_cron(std::string_view text) {
  static constexpr std::pair<std::string_view, std::string_view> k_macros[] = {
      {"@hourly", "0 * * * *"},  {"@daily", "0 0 * * *"},  {"@midnight", "0 0 * * *"}, {"@weekly", "0 0 * * 0"},
      {"@monthly", "0 0 1 * *"}, {"@yearly", "0 0 1 1 *"}, {"@annually", "0 0 1 1 *"}};
  std::string expanded(trim(text));
  for (const auto& [macro, meaning] : k_macros) {
    if (to_lower(expanded) == macro) {
      expanded = meaning;
    }
  }
  std::vector<std::string_view> fields;
  std::string_view rest = expanded;
  while (!rest.empty()) {
    const std::size_t begin = rest.find_first_not_of(" \t");
    if (begin == std::string_view::npos) {
      break;
    }
    rest = rest.substr(begin);
    const std::size_t end = std::min(rest.find_first_of(" \t"), rest.size());
    fields.push_back(rest.substr(0, end));
    rest = rest.substr(end);
  }
  if (fields.size() != 5) {
    return fail(
        fmt::format("a cron expression has 5 fields (minute hour day-of-month month day-of-week), as in "
                    "\"0 2 * * SUN\"; this one has {}",
                    fields.size()));
  }
  CronSchedule schedule;
  Expected<void> parsed = parse_field(fields[0], k_fields[0], schedule.minutes);
  if (parsed) {
    parsed = parse_field(fields[1], k_fields[1], schedule.hours);
  }
  if (parsed) {
    parsed = parse_field(fields[2], k_fields[2], schedule.days);
  }
  if (parsed) {
    parsed = parse_field(fields[3], k_fields[3], schedule.months);
  }
  if (parsed) {
    parsed = parse_field(fields[4], k_fields[4], schedule.weekdays);
  }
  if (!parsed) {
    return std::unexpected(parsed.error());
  }
  schedule.any_day = fields[2].starts_with('*');
  schedule.any_weekday = fields[4].starts_with('*');
  return schedule;
}

std::vector<LocalSeconds> CronSchedule::fire_times(LocalSeconds from, LocalSeconds to) const {
  namespace chrono = std::chrono;
  std::vector<LocalSeconds> times;
  for (chrono::days day = chrono::floor<chrono::days>(from); chrono::seconds(day) < to; day += chrono::days(1)) {
    const chrono::sys_days date_point{day};
    const chrono::year_month_day date{date_point};
    const bool day_ok = days.test(static_cast<unsigned>(date.day()));
    const bool weekday_ok = weekdays.test(chrono::weekday(date_point).c_encoding());
    const bool matches = any_day ? (any_weekday || weekday_ok) : any_weekday ? day_ok : (day_ok || weekday_ok);
    if (!matches || !months.test(static_cast<unsigned>(date.month()))) {
      continue;
    }
    for (std::size_t h = 0; h < 24; ++h) {
      for (std::size_t m = 0; hours.test(h) && m < 60; ++m) {
        const LocalSeconds at =
            chrono::seconds(day) + chrono::hours(static_cast<long>(h)) + chrono::minutes(static_cast<long>(m));
        if (minutes.test(m) && at >= from && at < to) {
          times.push_back(at);
        }
      }
    }
  }
  return times;
}

}  // namespace pw
