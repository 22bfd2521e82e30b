#include <bot/render/response_chart.hpp>

#include <bot/core/text.hpp>

#include <fmt/format.h>

#include <algorithm>

namespace pw {

namespace {

// Untrusted text inside a quoted Mermaid string, one line, without what could end the string,
// the code fence or start markup.
std::string mermaid_string(std::string_view text) {
  std::string out;
  for (const char c : sanitize_utf8(utf8_prefix(text, 80))) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '"' || c == '`') {
      out += '\'';
    } else if (c == '<' || c == '>' || c == '#' || c == ';' || c == '\\') {
      out += ' ';
    } else if (byte < 0x20 || byte == 0x7f) {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace

ChartSeries series_within(const CheckTimes& times, TimePoint end, std::chrono::hours window) {
  ChartSeries series;
  for (const auto& [hour, figure] : times.hours) {
    if (hour >= end - window && hour < end) {
      series.hours.push_back(hour);
      series.p50.push_back(figure.p50);
      series.p95.push_back(figure.p95);
    }
  }
  return series;
}

int axis_top(int top) {
  long long power = 1;
  while (true) {
    for (const long long step : {1LL, 2LL, 5LL}) {
      if (step * power >= top) {
        return static_cast<int>(step * power);
      }
    }
    power *= 10;
  }
}

std::string mermaid_chart(const Redacted& title, const ChartSeries& series) {
  std::vector<std::string> labels;
  for (const TimePoint hour : series.hours) {
    const auto day = std::chrono::floor<std::chrono::days>(hour);
    labels.push_back(fmt::format("\"{:02}:00\"", std::chrono::duration_cast<std::chrono::hours>(hour - day).count()));
  }
  const int top = series.p95.empty() ? 1 : *std::max_element(series.p95.begin(), series.p95.end());
  return fmt::format(
      "```mermaid\nxychart-beta\n  title \"{}\"\n  x-axis [{}]\n  y-axis \"ms\" 0 --> {}\n  line [{}]\n  line [{}]\n"
      "```\n",
      mermaid_string(title.view()), fmt::join(labels, ", "), axis_top(std::max(top, 1)), fmt::join(series.p50, ", "),
      fmt::join(series.p95, ", "));
}

}  // namespace pw
