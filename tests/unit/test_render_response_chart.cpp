// The dashboard's response-time chart: its exact Mermaid text, and how it shows in the issue.
#include <bot/render/issue_writer.hpp>
#include <bot/render/response_chart.hpp>

#include <github_client/iso8601.hpp>

#include <doctest/doctest.h>

using namespace std::chrono_literals;

namespace {

const pw::TimePoint k_chart_t0 = *github::parse_iso8601("2026-12-01T22:00:00Z");

}  // namespace

TEST_CASE("response chart: the exact Mermaid text") {
  pw::CheckTimes times;
  times.hours = {{k_chart_t0 - 30h, {1, 1}},  // outside the window
                 {k_chart_t0, {120, 340}},
                 {k_chart_t0 + 1h, {130, 2100}},
                 {k_chart_t0 + 3h, {110, 200}}};
  const pw::ChartSeries series = pw::series_within(times, k_chart_t0 + 4h, 24h);
  CHECK(series.hours == std::vector<pw::TimePoint>{k_chart_t0, k_chart_t0 + 1h, k_chart_t0 + 3h});
  pw::Redactor secrets;
  secrets.add("s3cr3t-token");
  CHECK(pw::mermaid_chart(secrets.redact("API \"health\" `s3cr3t-token` <b>#1;\n"), series) ==
        "```mermaid\n"
        "xychart-beta\n"
        "  title \"API 'health' '***'  b  1  \"\n"
        "  x-axis [\"22:00\", \"23:00\", \"01:00\"]\n"
        "  y-axis \"ms\" 0 --> 5000\n"
        "  line [120, 130, 110]\n"
        "  line [340, 2100, 200]\n"
        "```\n");
}

TEST_CASE("response chart: the axis top is 1, 2 or 5 times a power of ten") {
  CHECK(pw::axis_top(1) == 1);
  CHECK(pw::axis_top(3) == 5);
  CHECK(pw::axis_top(10) == 10);
  CHECK(pw::axis_top(11) == 20);
  CHECK(pw::axis_top(340) == 500);
  CHECK(pw::axis_top(501) == 1000);
  CHECK(pw::axis_top(600'000) == 1'000'000);
}

TEST_CASE("response chart: the dashboard charts the charted checks, slowest first, with words for the lines") {
  pw::TemplateSet templates = pw::TemplateSet::defaults();
  pw::Redactor secrets;
  const pw::IssueWriter writer{templates, secrets, pw::RunInfo{.now = k_chart_t0 + 2h + 10min}};
  pw::DashboardState state;
  state.since = k_chart_t0 - 24h;
  state.response.open_hour = k_chart_t0 + 2h;
  state.response.checks["api"].hours = {{k_chart_t0, {120, 340}}, {k_chart_t0 + 1h, {130, 360}}};
  state.response.checks["web"].hours = {{k_chart_t0 + 1h, {400, 900}}};
  state.response.checks["new"].open = {50};  // no closed hour yet: no chart
  const std::vector<pw::DashboardRow> rows{{"api", "API", {}}, {"web", "Web <site>", {}}, {"new", "New", {}}};
  const auto rendered = writer.dashboard(state, rows);
  REQUIRE(rendered.has_value());
  const std::string& body = rendered->body;
  INFO(body);
  const std::string expected =
      "#### Response times\n\n"
      "Hourly p50 (lower line) and p95 (upper line) in ms over the last 24 hours, hours in UTC.\n\n"
      "**Web \\&lt;site\\&gt;**: p50 400 ms, p95 900 ms in the hour from 2026-12-01 23:00 UTC.\n\n"
      "```mermaid\nxychart-beta\n  title \"Web  site \"\n  x-axis [\"23:00\"]\n  y-axis \"ms\" 0 --> 1000\n"
      "  line [400]\n  line [900]\n```\n\n"
      "**API**: p50 130 ms, p95 360 ms in the hour from 2026-12-01 23:00 UTC.\n\n"
      "```mermaid\nxychart-beta\n  title \"API\"\n  x-axis [\"22:00\", \"23:00\"]\n  y-axis \"ms\" 0 --> 500\n"
      "  line [120, 130]\n  line [340, 360]\n```\n\n";
  CHECK(body.find(expected) != std::string::npos);
  CHECK(body.find("title \"New\"") == std::string::npos);
}
