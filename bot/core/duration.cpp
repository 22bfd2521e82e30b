#include <bot/core/duration.hpp>

#include <fmt/format.h>

#include <cctype>
#include <cstdint>
#include <limits>

namespace pw {

namespace {

struct Unit {
  std::string_view suffix;
  std::int64_t millis;
};

// Longest suffix first so that "ms" is not read as "m" followed by "s".
constexpr Unit k_units[] = {
    {"ms", 1}, {"s", 1000}, {"m", 60'000}, {"h", 3'600'000}, {"d", 86'400'000},
};

}  // namespace

Expected<Millis> parse_duration(std::string_view text) {
  const std::string shown(text);
  if (text.empty()) {
    return fail("empty duration; write it like 250ms, 10s, 5m or 1h");
  }
  std::int64_t total = 0;
  std::size_t i = 0;
  while (i < text.size()) {
    if (text[i] < '0' || text[i] > '9') {
      return fail(fmt::format("invalid duration \"{}\"; write it like 250ms, 10s, 5m or 1h", shown));
    }
    std::int64_t number = 0;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
      if (number > (std::numeric_limits<std::int64_t>::max() - 9) / 10) {
        return fail(fmt::format("duration \"{}\" is too large", shown));
      }
      number = number * 10 + (text[i] - '0');
      ++i;
    }
    const Unit* unit = nullptr;
    for (const Unit& candidate : k_units) {
      if (text.substr(i).starts_with(candidate.suffix)) {
        unit = &candidate;
        break;
      }
    }
    if (unit == nullptr && i < text.size() && std::isalpha(static_cast<unsigned char>(text[i])) != 0) {
      std::size_t end = i;
      while (end < text.size() && std::isalpha(static_cast<unsigned char>(text[end])) != 0) {
        ++end;
      }
      return fail(
          fmt::format("duration \"{}\" has an unknown unit \"{}\": use ms, s, m, h or d, as in 250ms, 10s, "
                      "5m, 1h or 14d",
                      shown, text.substr(i, end - i)));
    }
    if (unit == nullptr) {
      return fail(fmt::format("duration \"{}\" needs a unit (ms, s, m, h or d), as in 250ms, 10s, 5m or 1h", shown));
    }
    i += unit->suffix.size();
    if (number > (std::numeric_limits<std::int64_t>::max() - total) / unit->millis) {
      return fail(fmt::format("duration \"{}\" is too large", shown));
    }
    total += number * unit->millis;
  }
  return Millis(total);
}

std::string format_duration(Millis duration) {
  std::int64_t ms = duration.count();
  if (ms < 0) {
    return fmt::format("-{}", format_duration(Millis(-ms)));
  }
  if (ms < 1000) {
    return fmt::format("{}ms", ms);
  }
  const std::int64_t seconds = ms / 1000;
  if (seconds < 60) {
    const std::int64_t tenths = (ms % 1000) / 100;
    return tenths == 0 || seconds >= 10 ? fmt::format("{}s", seconds) : fmt::format("{}.{}s", seconds, tenths);
  }
  const std::int64_t minutes = seconds / 60;
  if (minutes < 60) {
    return seconds % 60 == 0 ? fmt::format("{}m", minutes) : fmt::format("{}m {}s", minutes, seconds % 60);
  }
  const std::int64_t hours = minutes / 60;
  if (hours < 24) {
    return minutes % 60 == 0 ? fmt::format("{}h", hours) : fmt::format("{}h {}m", hours, minutes % 60);
  }
  const std::int64_t days = hours / 24;
  return hours % 24 == 0 ? fmt::format("{}d", days) : fmt::format("{}d {}h", days, hours % 24);
}

}  // namespace pw
