#include <bot/render/issue_writer.hpp>

#include <doctest/doctest.h>

#include <fmt/format.h>

using namespace std::chrono_literals;

namespace {

const pw::TimePoint k_render_now = std::chrono::sys_days{std::chrono::year{2026} / 12 / 1} + 14h;

// The default templates, no secrets, a run at k_render_now.
struct Renderer {
  pw::TemplateSet templates = pw::TemplateSet::defaults();
  pw::Redactor secrets;
  pw::RunInfo run{.now = k_render_now};
  pw::IssueWriter writer{templates, secrets, run};
};

}  // namespace

TEST_CASE("dashboard: uptime figures, recent incidents and how they are computed") {
  const Renderer renderer;
  const pw::IssueWriter& writer = renderer.writer;
  pw::DashboardState state;
  state.since = k_render_now - 40 * 24h;
  state.history = {{"api", 7, k_render_now - 12h - 30min, k_render_now - 12h, "status 503 not in [200]"}};
  std::vector<pw::DashboardRow> rows{{"api", "API", {}}, {"web", "Web", {}}};
  rows[1].maintenance = {{k_render_now - 3 * 24h, k_render_now - 3 * 24h + 2h}};
  auto rendered = writer.dashboard(state, rows);
  REQUIRE(rendered.has_value());
  const std::string& body = rendered->body;
  INFO(body);
  // As of 12:00: the 30-minute outage is in every period; 90 days reach before the dashboard began.
  CHECK(body.find("| 🟢 | API | passing |  |  | 97.91% · 99.70% · 99.93% · 99.94% |") != std::string::npos);
  CHECK(body.find("| 🟢 | Web | passing |  |  | 100% · 100% · 100% · 100% |") != std::string::npos);
  CHECK(body.find("**Uptime, all checks:** 24h 98.95% · 7d 99.85% (1h in maintenance per check) · ") !=
        std::string::npos);
  CHECK(body.find("| #7 | API | 2026-12-01 01:30 UTC | 30m | `status 503 not in [200]` |") != std::string::npos);
  CHECK(body.find("Time in maintenance and time not observed (before 2026-10-22 14:00 UTC, when this dashboard "
                  "began) count neither as up nor as down") != std::string::npos);
}

TEST_CASE(
    "dashboard: 200 checks with 30 days of history and a week of response times stay under GitHub's "
    "65,536 characters") {
  const Renderer renderer;
  const pw::IssueWriter& writer = renderer.writer;
  pw::DashboardState state;
  state.since = k_render_now - 30 * 24h;
  std::vector<pw::DashboardRow> rows;
  for (int i = 0; i < 200; ++i) {
    const std::string id = fmt::format("service-{:03}-health-endpoint", i);
    rows.push_back({id, fmt::format("Service {:03} health endpoint (production, eu-west)", i), {}});
    if (i % 4 == 0) {
      rows.back().memory.status = pw::CheckMemory::Status::failing;
      rows.back().memory.since = k_render_now - 2h;
      rows.back().memory.incident = 1000 + i;
      state.checks[id] = rows.back().memory;
    }
  }
  // As many closed incidents as the memory keeps, each with a long reason.
  for (std::size_t n = 0; n < pw::k_history_limit; ++n) {
    const auto closed = k_render_now - std::chrono::hours(static_cast<long>(n) * 7);
    state.history.push_back({rows[n % 200].id, static_cast<int>(n + 1), closed - 45min, closed, std::string(120, 'x')});
  }
  // A week of hourly response times for the charted checks (the 5 slowest), slow enough that every
  // figure takes its longest form, and a full open hour of samples.
  for (const std::size_t charted : {0, 40, 80, 120, 160}) {
    pw::CheckTimes& times = state.response.checks[rows[charted].id];
    for (int hour = 1; hour <= 24 * 7; ++hour) {
      times.hours[std::chrono::floor<std::chrono::hours>(k_render_now) - std::chrono::hours(hour)] = {12'000 + hour,
                                                                                                      45'000 + hour};
    }
    times.open.assign(pw::k_open_samples, 123'456);
  }
  state.response.open_hour = std::chrono::floor<std::chrono::hours>(k_render_now);
  auto rendered = writer.dashboard(state, rows);
  REQUIRE(rendered.has_value());
  MESSAGE("dashboard of 200 checks with 30 days of history and a week of response times: " << rendered->body.size()
                                                                                           << " characters");
  CHECK(rendered->body.size() <= 65536);
  CHECK(rendered->warnings.empty());  // nothing had to be left out
  CHECK(rendered->body.find("omitted") == std::string::npos);
  const auto marker = pw::parse_marker(rendered->body);
  REQUIRE(marker.has_value());
  CHECK(std::get<pw::DashboardState>(*marker).history == state.history);
  CHECK(std::get<pw::DashboardState>(*marker).response.checks.size() == 5);
  CHECK(std::get<pw::DashboardState>(*marker).response.checks.begin()->second.hours.size() == 24 * 7);
  CHECK(rendered->body.find("```mermaid\nxychart-beta\n  title \"Service 000 health endpoint") != std::string::npos);
}

TEST_CASE("dashboard: a listing that does not fit goes first, without a warning, and the rest stays") {
  const Renderer renderer;
  pw::DashboardState state;
  state.since = k_render_now - 24h;
  state.history = {{"api", 7, k_render_now - 12h - 30min, k_render_now - 12h, "status 503 not in [200]"}};
  pw::Listing listing{k_render_now, {}, {}};
  for (int n = 1; n <= 200; ++n) {
    pw::IncidentState incident;
    incident.check = fmt::format("svc-{}", n);
    incident.reason = std::string(400, 'x');
    listing.issues.push_back({n, k_render_now, "github-actions[bot]", incident});
  }
  state.listing = listing;
  const std::vector<pw::DashboardRow> rows{{"api", "API", {}}};
  const auto rendered = renderer.writer.dashboard(state, rows);
  REQUIRE(rendered.has_value());
  CHECK(rendered->warnings.empty());
  CHECK(rendered->body.size() <= 65'536);
  const auto marker = pw::parse_marker(rendered->body);
  REQUIRE(marker.has_value());
  const auto& kept = std::get<pw::DashboardState>(*marker);
  CHECK_FALSE(kept.listing.has_value());
  CHECK(kept.history == state.history);

  state.listing->issues.resize(20);  // a listing that fits stays
  const auto small = renderer.writer.dashboard(state, rows);
  REQUIRE(small.has_value());
  CHECK(std::get<pw::DashboardState>(*pw::parse_marker(small->body)).listing == state.listing);
}
