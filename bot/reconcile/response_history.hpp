#pragma once

#include <bot/core/clock.hpp>

#include <chrono>
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pw {

// One hour of one check's response times: the 50th and 95th percentiles (nearest rank), in ms.
struct HourFigure {
  int p50 = 0;
  int p95 = 0;
  bool operator==(const HourFigure&) const = default;
};

// The response times the dashboard keeps for one charted check.
struct CheckTimes {
  std::map<TimePoint, HourFigure> hours;  // closed hours by their start (UTC), oldest first
  std::vector<int> open;                  // samples of the open hour (ms), oldest first
  bool operator==(const CheckTimes&) const = default;
};

// The response-time history in the dashboard's memory: hourly p50/p95 of the charted checks for
// the last k_response_days, and the samples of the hour being collected.
struct ResponseHistory {
  TimePoint open_hour{};                     // the start of the hour being collected; unset before the first sample
  std::map<std::string, CheckTimes> checks;  // by check id: the charted checks only
  bool operator==(const ResponseHistory&) const = default;
};

// How much is kept: a week of hours, at most 12 samples of the open hour (a 5-minute schedule),
// charts for the 5 slowest checks, or for at most 10 chosen with `chart: true`.
inline constexpr auto k_response_days = std::chrono::hours(24 * 7);
inline constexpr std::size_t k_open_samples = 12;
inline constexpr std::size_t k_slowest_charted = 5;
inline constexpr std::size_t k_max_charted = 10;
// The largest time kept, in ms (10 minutes); slower samples count as this.
inline constexpr int k_max_response_ms = 600'000;

// One check's response time in this run, in config order.
struct ResponseSample {
  std::string check;
  std::optional<int> ms;  // unset when the check was not probed
  bool chosen = false;    // `chart: true`
};

// Returns the nearest-rank 50th and 95th percentiles of `samples` (ms); zeros when empty.
HourFigure summarize(std::vector<int> samples);

// Adds this run's samples. The first run in a later hour closes the open hour (each charted
// check's samples become its HourFigure), forgets hours older than k_response_days, and chooses
// the charted checks for the new hour: those with `chart: true` (the first k_max_charted in config
// order) or else the k_slowest_charted slowest by this run's time, where a check already charted
// stays unless another is half again as slow. Checks gone from the config are forgotten then.
// Returns true when the hour closed (the memory changed in more than its open samples).
bool record_response_times(ResponseHistory& history, TimePoint now, const std::vector<ResponseSample>& samples);

// Returns `history` without the open hour's samples: what decides whether the dashboard is written.
ResponseHistory without_open_samples(ResponseHistory history);

// The compact text of one check's closed hours from `from` on, as the marker keeps it: per hour
// "." (no samples) or four characters, p50 and p95 in two characters each (exact below 2,048 ms,
// within 0.2% above, up to k_max_response_ms). Trailing empty hours are left out.
std::string encode_hours(const std::map<TimePoint, HourFigure>& hours, TimePoint from);
// Returns the hours `text` (as encode_hours writes it) holds from `from`; nullopt when malformed.
std::optional<std::map<TimePoint, HourFigure>> decode_hours(std::string_view text, TimePoint from);

// Returns `ms` as the two-character code encode_hours writes, and back; decode_time is exact for
// codes of values below 2,048 ms.
std::string encode_time(int ms);
std::optional<int> decode_time(std::string_view code);

}  // namespace pw
