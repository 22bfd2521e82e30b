#include <bot/reconcile/response_history.hpp>

#include <algorithm>
#include <cmath>
#include <set>

namespace pw {

namespace {

constexpr std::string_view k_alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
constexpr int k_exact_below = 2048;
constexpr int k_top_code = 4095;

// The log-scale step between codes above k_exact_below, so that the top code is k_max_response_ms.
double log_span() { return std::log(static_cast<double>(k_max_response_ms) / k_exact_below); }

int digit_of(char c) {
  const auto at = k_alphabet.find(c);
  return at == std::string_view::npos ? -1 : static_cast<int>(at);
}

// The sample at nearest rank `percent` of the sorted `samples`.
int nearest_rank(const std::vector<int>& sorted, int percent) {
  const std::size_t rank = (sorted.size() * static_cast<std::size_t>(percent) + 99) / 100;
  return sorted[std::max<std::size_t>(rank, 1) - 1];
}

// Chooses the charted checks for a new hour (see record_response_times).
std::vector<std::string> charted(const ResponseHistory& history, const std::vector<ResponseSample>& samples) {
  std::vector<std::string> chosen;
  for (const ResponseSample& sample : samples) {
    if (sample.chosen && chosen.size() < k_max_charted) {
      chosen.push_back(sample.check);
    }
  }
  if (!chosen.empty()) {
    return chosen;
  }
  std::vector<std::pair<long long, std::size_t>> scored;  // score, config position
  for (std::size_t i = 0; i < samples.size(); ++i) {
    if (!samples[i].ms) {
      continue;
    }
    long long score = *samples[i].ms;
    if (history.checks.count(samples[i].check) != 0) {
      score = score * 3 / 2;  // a charted check stays unless another is half again as slow
    }
    scored.emplace_back(score, i);
  }
  std::stable_sort(scored.begin(), scored.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  for (std::size_t i = 0; i < scored.size() && i < k_slowest_charted; ++i) {
    chosen.push_back(samples[scored[i].second].check);
  }
  return chosen;
}

}  // namespace

HourFigure summarize(std::vector<int> samples) {
  if (samples.empty()) {
    return {};
  }
  std::sort(samples.begin(), samples.end());
  return {nearest_rank(samples, 50), nearest_rank(samples, 95)};
}

bool record_response_times(ResponseHistory& history, TimePoint now, const std::vector<ResponseSample>& samples) {
  const TimePoint hour = std::chrono::floor<std::chrono::hours>(now);
  if (history.open_hour != TimePoint{} && hour < history.open_hour) {
    return false;  // the clock went back: this run's samples belong to no hour kept
  }
  bool closed = false;
  if (history.open_hour == TimePoint{} || hour > history.open_hour) {
    for (auto& [id, times] : history.checks) {
      if (!times.open.empty() && history.open_hour != TimePoint{}) {
        times.hours[history.open_hour] = summarize(std::move(times.open));
        times.open.clear();
      }
      std::erase_if(times.hours, [&](const auto& entry) { return entry.first < hour - k_response_days; });
    }
    const std::vector<std::string> chosen = charted(history, samples);
    const std::set<std::string> keep(chosen.begin(), chosen.end());
    std::erase_if(history.checks, [&](const auto& entry) { return keep.count(entry.first) == 0; });
    for (const std::string& id : chosen) {
      history.checks.try_emplace(id);
    }
    if (history.checks.empty()) {
      history = {};
      return false;  // nothing to chart: no hour is kept open, so quiet runs write nothing
    }
    closed = history.open_hour != TimePoint{};
    history.open_hour = hour;
  }
  for (const ResponseSample& sample : samples) {
    const auto times = history.checks.find(sample.check);
    if (times == history.checks.end() || !sample.ms) {
      continue;
    }
    std::vector<int>& open = times->second.open;
    open.push_back(std::clamp(*sample.ms, 0, k_max_response_ms));
    if (open.size() > k_open_samples) {
      open.erase(open.begin(), open.end() - static_cast<std::ptrdiff_t>(k_open_samples));
    }
  }
  return closed;
}

ResponseHistory without_open_samples(ResponseHistory history) {
  for (auto& [id, times] : history.checks) {
    times.open.clear();
  }
  return history;
}

std::string encode_time(int ms) {
  const int value = std::clamp(ms, 0, k_max_response_ms);
  int code = value;
  if (value >= k_exact_below) {
    const double position = std::log(static_cast<double>(value) / k_exact_below) / log_span();
    code = k_exact_below + static_cast<int>(std::lround(position * (k_top_code - k_exact_below)));
    code = std::clamp(code, k_exact_below, k_top_code);
  }
  std::string text;
  text += k_alphabet[static_cast<std::size_t>(code / 64)];
  text += k_alphabet[static_cast<std::size_t>(code % 64)];
  return text;
}

std::optional<int> decode_time(std::string_view code) {
  if (code.size() != 2 || digit_of(code[0]) < 0 || digit_of(code[1]) < 0) {
    return std::nullopt;
  }
  const int value = digit_of(code[0]) * 64 + digit_of(code[1]);
  if (value < k_exact_below) {
    return value;
  }
  const double position = static_cast<double>(value - k_exact_below) / (k_top_code - k_exact_below);
  return static_cast<int>(std::lround(k_exact_below * std::exp(position * log_span())));
}

std::string encode_hours(const std::map<TimePoint, HourFigure>& hours, TimePoint from) {
  std::string text;
  TimePoint at = from;
  for (const auto& [hour, figure] : hours) {
    if (hour < from) {
      continue;
    }
    for (; at < hour; at += std::chrono::hours(1)) {
      text += '.';
    }
    text += encode_time(figure.p50);
    text += encode_time(figure.p95);
    at = hour + std::chrono::hours(1);
  }
  return text;
}

std::optional<std::map<TimePoint, HourFigure>> decode_hours(std::string_view text, TimePoint from) {
  std::map<TimePoint, HourFigure> hours;
  TimePoint at = from;
  std::size_t i = 0;
  while (i < text.size()) {
    if (text[i] == '.') {
      ++i;
    } else {
      if (i + 4 > text.size()) {
        return std::nullopt;
      }
      const auto p50 = decode_time(text.substr(i, 2));
      const auto p95 = decode_time(text.substr(i + 2, 2));
      if (!p50 || !p95) {
        return std::nullopt;
      }
      hours[at] = {*p50, *p95};
      i += 4;
    }
    at += std::chrono::hours(1);
  }
  return hours;
}

}  // namespace pw
