#pragma once

#include <bot/core/clock.hpp>
#include <bot/core/redactor.hpp>
#include <bot/reconcile/response_history.hpp>

#include <chrono>
#include <string>
#include <vector>

namespace pw {

// One charted check's hours within a window, as a chart draws them: only hours with samples.
struct ChartSeries {
  std::vector<TimePoint> hours;  // the start of each hour, oldest first
  std::vector<int> p50;
  std::vector<int> p95;
  bool empty() const { return hours.empty(); }
};

// Returns the hours of `times` in [end - window, end).
ChartSeries series_within(const CheckTimes& times, TimePoint end, std::chrono::hours window);

// Returns the top of a chart's axis for values up to `top`: 1, 2 or 5 times a power of ten.
int axis_top(int top);

// Returns a Mermaid xychart-beta block (fenced, GitHub renders it) of `series`: hours as "HH:00"
// (UTC) on the x-axis, ms from 0 on the y-axis, the p50 line first and the p95 line above it.
// `title` is untrusted: quotes, backticks, angle brackets and control characters are replaced.
std::string mermaid_chart(const Redacted& title, const ChartSeries& series);

}  // namespace pw
