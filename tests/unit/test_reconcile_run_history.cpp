// Honest scheduling, pure: when a run is late, what gap it records, how the memory stays bounded.
#include <bot/reconcile/marker.hpp>
#include <bot/reconcile/reconcile.hpp>
#include <bot/reconcile/run_history.hpp>

#include <github_client/iso8601.hpp>

#include <doctest/doctest.h>

using namespace std::chrono_literals;
using pw::DashboardState;
using pw::RunSchedule;
using pw::TimeSpan;

namespace {

const pw::TimePoint k_history_t0 = *github::parse_iso8601("2026-12-01T00:00:00Z");

}  // namespace

TEST_CASE("run history: a late run records the time past one interval as a monitoring gap") {
  DashboardState state;
  const RunSchedule every_5m{5min, 0ms};
  CHECK_FALSE(pw::record_run(state, k_history_t0, every_5m));  // the first run: nothing to compare with
  CHECK(state.last_run == k_history_t0);
  CHECK_FALSE(pw::record_run(state, k_history_t0 + 5min, every_5m));
  CHECK_FALSE(pw::record_run(state, k_history_t0 + 15min, every_5m));  // 10 min: late, but not more than twice
  CHECK(state.gaps.empty());
  const auto gap = pw::record_run(state, k_history_t0 + 55min, every_5m);  // 40 min after the previous run
  REQUIRE(gap);
  CHECK(*gap == TimeSpan{k_history_t0 + 20min, k_history_t0 + 55min});
  CHECK(state.gaps == pw::TimeSpans{*gap});
  CHECK(state.last_run == k_history_t0 + 55min);

  SUBCASE("gaps that touch merge") {
    state.last_run = k_history_t0 + 50min;  // as if a run at 50 min had not been recorded
    REQUIRE(pw::record_run(state, k_history_t0 + 70min, every_5m));
    CHECK(state.gaps == pw::TimeSpans{{k_history_t0 + 20min, k_history_t0 + 70min}});
  }
  SUBCASE("without a schedule nothing is tracked; old gaps still age out") {
    CHECK_FALSE(pw::record_run(state, k_history_t0 + 91 * 24h, {}));
    CHECK(state.gaps.empty());
  }
}

TEST_CASE("run history: bounded to the newest 100 gaps within 90 days") {
  DashboardState state;
  const RunSchedule every_5m{5min, 0ms};
  pw::TimePoint now = k_history_t0;
  pw::record_run(state, now, every_5m);
  for (int i = 0; i < 150; ++i) {
    now += 1h;  // every run an hour late
    REQUIRE(pw::record_run(state, now, every_5m));
  }
  CHECK(state.gaps.size() == pw::k_max_gaps);
  CHECK(state.gaps.back() == TimeSpan{now - 55min, now});
  CHECK(state.gaps.front() == TimeSpan{k_history_t0 + 50h + 5min, k_history_t0 + 51h});
  // The marker stays compact: 100 gaps are a few kilobytes.
  CHECK(pw::format_marker(state).size() < 6000);
  // 89 days later: only the gaps of the last day before then are within 90 days, plus the new one.
  REQUIRE(pw::record_run(state, now + 89 * 24h, every_5m));
  CHECK(state.gaps.size() == 24 + 1);
}

TEST_CASE("run history: a run recorded less often (watch) writes at most once per period and is late later") {
  DashboardState state;
  const RunSchedule watch{30s, 5min};
  pw::record_run(state, k_history_t0, watch);
  CHECK_FALSE(pw::record_run(state, k_history_t0 + 30s, watch));
  CHECK(state.last_run == k_history_t0);  // not recorded: the quiet cycle writes nothing
  CHECK_FALSE(pw::record_run(state, k_history_t0 + 5min, watch));
  CHECK(state.last_run == k_history_t0 + 5min);
  CHECK_FALSE(
      pw::record_run(state, k_history_t0 + 10min + 30s, watch));  // 5 min 30 s: within record_every + one interval
  const auto gap = pw::record_run(state, k_history_t0 + 20min, watch);
  REQUIRE(gap);
  CHECK(*gap == TimeSpan{k_history_t0 + 11min, k_history_t0 + 20min});
}

TEST_CASE("run history: gaps within a window") {
  const pw::TimeSpans gaps{{k_history_t0, k_history_t0 + 2h},
                           {k_history_t0 + 30h, k_history_t0 + 30h + 10min},
                           {k_history_t0 + 40h, k_history_t0 + 41h}};
  const pw::GapSummary last_day = pw::gaps_within(gaps, k_history_t0 + 18h, k_history_t0 + 42h);
  CHECK(last_day.count == 2);
  CHECK(last_day.longest == 1h);
  CHECK(last_day.total == 70min);
  const pw::GapSummary cut = pw::gaps_within(gaps, k_history_t0 + 1h, k_history_t0 + 24h);
  CHECK(cut.count == 1);
  CHECK(cut.longest == 1h);  // only the part inside the window
}

TEST_CASE("run history: the marker keeps last_run and the gaps") {
  DashboardState state;
  state.config = "probewatch.yml";
  state.last_run = k_history_t0 + 1h;
  state.gaps = {{k_history_t0, k_history_t0 + 30min}};
  const std::string marker = pw::format_marker(state);
  CHECK(marker.find(R"("gaps":[["2026-12-01T00:00:00Z","2026-12-01T00:30:00Z"]])") != std::string::npos);
  const auto parsed = pw::parse_marker(marker);
  REQUIRE(parsed);
  REQUIRE(std::holds_alternative<DashboardState>(*parsed));
  CHECK(std::get<DashboardState>(*parsed) == state);
  // A hostile or broken gap entry is skipped, never trusted.
  const auto broken = pw::parse_marker(
      R"(<!-- probewatch:v1 {"kind":"dashboard","checks":{},"gaps":[["x","y"],["2026-12-01T01:00:00Z","2026-12-01T00:00:00Z"],5]} -->)");
  REQUIRE(broken);
  CHECK(std::get<DashboardState>(*broken).gaps.empty());
}

TEST_CASE("run history: reconcile records the run and writes the dashboard only when schedule is set") {
  pw::ReconcileInput input;
  input.now = k_history_t0 + 1h;
  input.dashboard = DashboardState{};
  input.dashboard->last_run = k_history_t0;
  input.dashboard_issue = 7;
  input.outcomes.push_back({"api", true, "ok"});
  pw::Plan quiet = pw::reconcile(input);
  CHECK_FALSE(quiet.gap);
  CHECK_FALSE(quiet.dashboard_changed);
  input.policy.schedule = 5min;
  pw::Plan late = pw::reconcile(input);
  REQUIRE(late.gap);
  CHECK(*late.gap == TimeSpan{k_history_t0 + 5min, k_history_t0 + 1h});
  CHECK(late.dashboard_changed);
  CHECK(late.dashboard.gaps == pw::TimeSpans{*late.gap});
}
