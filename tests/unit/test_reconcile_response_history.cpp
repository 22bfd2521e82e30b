// Response-time history, pure: hourly p50/p95, which checks are charted, pruning, the compact
// encoding in the marker, and that samples alone never make the dashboard write.
#include <bot/reconcile/marker.hpp>
#include <bot/reconcile/reconcile.hpp>
#include <bot/reconcile/response_history.hpp>

#include <github_client/iso8601.hpp>

#include <doctest/doctest.h>

using namespace std::chrono_literals;
using pw::HourFigure;
using pw::ResponseHistory;
using pw::ResponseSample;

namespace {

const pw::TimePoint k_rt_t0 = *github::parse_iso8601("2026-12-01T05:00:00Z");

std::vector<ResponseSample> times_of(std::initializer_list<std::pair<const char*, int>> list) {
  std::vector<ResponseSample> samples;
  for (const auto& [id, ms] : list) {
    samples.push_back({id, ms});
  }
  return samples;
}

}  // namespace

TEST_CASE("response history: p50 and p95 by nearest rank") {
  CHECK(pw::summarize({}) == HourFigure{0, 0});
  CHECK(pw::summarize({120}) == HourFigure{120, 120});
  CHECK(pw::summarize({400, 100, 300, 200}) == HourFigure{200, 400});
  // Twelve runs of a 5-minute schedule: p50 is the 6th, p95 the 12th (rank ceil(0.95 × 12) = 12).
  CHECK(pw::summarize({5, 9, 1, 12, 7, 3, 11, 2, 8, 4, 10, 6}) == HourFigure{6, 12});
  std::vector<int> hundred;
  for (int i = 100; i >= 1; --i) {
    hundred.push_back(i);
  }
  CHECK(pw::summarize(hundred) == HourFigure{50, 95});
}

TEST_CASE("response history: the first run of a later hour closes the open one") {
  ResponseHistory history;
  CHECK_FALSE(pw::record_response_times(history, k_rt_t0 + 1min, times_of({{"api", 100}, {"web", 40}})));
  CHECK(history.open_hour == k_rt_t0);
  CHECK(history.checks.at("api").open == std::vector<int>{100});
  CHECK_FALSE(pw::record_response_times(history, k_rt_t0 + 30min, times_of({{"api", 300}, {"web", 50}})));
  CHECK_FALSE(pw::record_response_times(history, k_rt_t0 + 59min, times_of({{"api", 200}, {"web", 60}})));
  CHECK(history.checks.at("api").hours.empty());
  CHECK(pw::record_response_times(history, k_rt_t0 + 61min, times_of({{"api", 90}, {"web", 45}})));
  CHECK(history.open_hour == k_rt_t0 + 1h);
  CHECK(history.checks.at("api").hours == std::map<pw::TimePoint, HourFigure>{{k_rt_t0, {200, 300}}});
  CHECK(history.checks.at("web").hours == std::map<pw::TimePoint, HourFigure>{{k_rt_t0, {50, 60}}});
  CHECK(history.checks.at("api").open == std::vector<int>{90});

  SUBCASE("an hour without runs leaves no figure") {
    CHECK(pw::record_response_times(history, k_rt_t0 + 3h + 5min, times_of({{"api", 80}, {"web", 45}})));
    CHECK(history.checks.at("api").hours.size() == 2);
    CHECK(history.checks.at("api").hours.count(k_rt_t0 + 1h) == 1);
    CHECK(history.checks.at("api").hours.count(k_rt_t0 + 2h) == 0);
  }
  SUBCASE("a clock that went back adds nothing") {
    CHECK_FALSE(pw::record_response_times(history, k_rt_t0 + 10min, times_of({{"api", 5000}})));
    CHECK(history.checks.at("api").open == std::vector<int>{90});
  }
  SUBCASE("the open hour keeps the newest 12 samples") {
    for (int i = 1; i <= 20; ++i) {
      pw::record_response_times(history, k_rt_t0 + 1h + std::chrono::minutes(i), times_of({{"api", i}}));
    }
    CHECK(history.checks.at("api").open == std::vector<int>{9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20});
  }
}

TEST_CASE("response history: hours older than a week are forgotten") {
  ResponseHistory history;
  for (int hour = 0; hour < 24 * 9; ++hour) {
    pw::record_response_times(history, k_rt_t0 + std::chrono::hours(hour), times_of({{"api", hour}}));
  }
  const auto& hours = history.checks.at("api").hours;
  CHECK(hours.size() == 24 * 7);
  CHECK(hours.begin()->first == k_rt_t0 + std::chrono::hours(24 * 2 - 1));
  CHECK(hours.rbegin()->first == k_rt_t0 + std::chrono::hours(24 * 9 - 2));
  CHECK(hours.rbegin()->second == HourFigure{24 * 9 - 2, 24 * 9 - 2});
}

TEST_CASE("response history: the charted checks") {
  ResponseHistory history;
  SUBCASE("the five slowest; a charted check stays unless another is half again as slow") {
    pw::record_response_times(
        history, k_rt_t0,
        times_of({{"a", 10}, {"b", 600}, {"c", 500}, {"d", 400}, {"e", 300}, {"f", 200}, {"g", 100}}));
    CHECK(history.checks.size() == 5);
    CHECK(history.checks.count("f") == 1);
    CHECK(history.checks.count("g") == 0);
    // g is now slower than f, but not half again as slow: f stays.
    pw::record_response_times(
        history, k_rt_t0 + 1h,
        times_of({{"a", 10}, {"b", 600}, {"c", 500}, {"d", 400}, {"e", 300}, {"f", 200}, {"g", 250}}));
    CHECK(history.checks.count("f") == 1);
    CHECK(history.checks.count("g") == 0);
    pw::record_response_times(
        history, k_rt_t0 + 2h,
        times_of({{"a", 10}, {"b", 600}, {"c", 500}, {"d", 400}, {"e", 300}, {"f", 200}, {"g", 301}}));
    CHECK(history.checks.count("f") == 0);
    CHECK(history.checks.count("g") == 1);
    CHECK(history.checks.at("g").hours.empty());  // its chart starts now
  }
  SUBCASE("checks with chart: true, and only they") {
    std::vector<ResponseSample> samples = times_of({{"fast", 5}, {"slow", 900}});
    samples[0].chosen = true;
    pw::record_response_times(history, k_rt_t0, samples);
    CHECK(history.checks.size() == 1);
    CHECK(history.checks.count("fast") == 1);
  }
  SUBCASE("a check gone from the config is forgotten when the hour closes") {
    pw::record_response_times(history, k_rt_t0, times_of({{"api", 10}, {"old", 20}}));
    pw::record_response_times(history, k_rt_t0 + 1h, times_of({{"api", 10}}));
    CHECK(history.checks.size() == 1);
    CHECK(history.checks.count("api") == 1);
  }
  SUBCASE("no checks: nothing kept") {
    CHECK_FALSE(pw::record_response_times(history, k_rt_t0, {}));
    CHECK(history == ResponseHistory{});
  }
}

TEST_CASE("response history: the compact encoding") {
  CHECK(pw::encode_time(0) == "AA");
  CHECK(pw::encode_time(65) == "BB");
  CHECK(pw::encode_time(2047) == "f_");
  CHECK(pw::encode_time(600'000) == "__");
  CHECK(pw::encode_time(9'999'999) == "__");
  for (const int ms : {0, 1, 63, 64, 999, 2047}) {
    CHECK(pw::decode_time(pw::encode_time(ms)) == ms);
  }
  for (const int ms : {2048, 2500, 10'000, 61'234, 599'999}) {
    const int back = *pw::decode_time(pw::encode_time(ms));
    INFO(ms << " -> " << back);
    CHECK(std::abs(back - ms) <= ms / 500);  // within 0.2%
  }
  CHECK_FALSE(pw::decode_time("A"));
  CHECK_FALSE(pw::decode_time("A!"));

  const std::map<pw::TimePoint, HourFigure> hours{{k_rt_t0 + 1h, {65, 2047}}, {k_rt_t0 + 3h, {1, 2}}};
  const std::string text = pw::encode_hours(hours, k_rt_t0);
  CHECK(text == ".BBf_.ABAC");
  CHECK(pw::decode_hours(text, k_rt_t0) == hours);
  CHECK_FALSE(pw::decode_hours(".BBf", k_rt_t0));
}

TEST_CASE("response history: kept in the dashboard marker") {
  pw::DashboardState state;
  pw::record_response_times(state.response, k_rt_t0, times_of({{"api", 120}, {"web", 40}}));
  pw::record_response_times(state.response, k_rt_t0 + 2h, times_of({{"api", 130}, {"web", 45}}));
  pw::record_response_times(state.response, k_rt_t0 + 2h + 5min, times_of({{"api", 140}, {"web", 50}}));
  const std::string marker = pw::format_marker(state);
  CHECK(marker.find(R"("rt":{"checks":{"api":{"h":"B4B4","s":[130,140]},"web":{"h":"AoAo","s":[45,50]}},)"
                    R"("from":"2026-12-01T05:00:00Z","hour":"2026-12-01T07:00:00Z"})") != std::string::npos);
  const auto parsed = pw::parse_marker(marker);
  REQUIRE(parsed);
  CHECK(std::get<pw::DashboardState>(*parsed).response == state.response);

  SUBCASE("a malformed series is dropped, the rest kept") {
    std::string broken = marker;
    broken.replace(broken.find("B4B4"), 4, "B4!4");
    const auto read = pw::parse_marker(broken);
    REQUIRE(read);
    const auto& response = std::get<pw::DashboardState>(*read).response;
    CHECK(response.checks.at("api").hours.empty());
    CHECK(response.checks.at("api").open == std::vector<int>{130, 140});
    CHECK(response.checks.at("web") == state.response.checks.at("web"));
  }
}

TEST_CASE("response history: samples alone never write the dashboard; the hour closing writes once") {
  pw::ReconcileInput input;
  input.outcomes = {{"api", true}};
  input.outcomes[0].response_ms = 120;
  input.now = k_rt_t0 + 1min;
  input.dashboard_issue = 1;
  input.dashboard = pw::reconcile(input).dashboard;  // as the first run wrote it
  for (int minute = 6; minute < 60; minute += 5) {
    input.now = k_rt_t0 + std::chrono::minutes(minute);
    input.outcomes[0].response_ms = 100 + minute;
    const pw::Plan plan = pw::reconcile(input);
    INFO(minute);
    CHECK_FALSE(plan.dashboard_changed);
    CHECK(plan.empty());
    CHECK(plan.dashboard.response == input.dashboard->response);  // this run's sample is not kept
  }
  input.now = k_rt_t0 + 61min;
  input.outcomes[0].response_ms = 100;
  const pw::Plan plan = pw::reconcile(input);
  CHECK(plan.dashboard_changed);
  // Only the samples the dashboard was written with count: the quiet runs' were never kept.
  CHECK(plan.dashboard.response.checks.at("api").hours.at(k_rt_t0) == HourFigure{120, 120});
  CHECK(plan.dashboard.response.checks.at("api").open == std::vector<int>{100});

  SUBCASE("a run that writes the dashboard anyway keeps its sample") {
    input.now = k_rt_t0 + 30min;
    input.outcomes[0].response_ms = 900;
    input.outcomes[0].ok = false;
    input.outcomes[0].signature = "status:503";
    const pw::Plan failing = pw::reconcile(input);
    CHECK(failing.dashboard_changed);
    input.dashboard = failing.dashboard;
    input.outcomes[0] = {"api", true};
    input.outcomes[0].response_ms = 100;
    input.now = k_rt_t0 + 61min;
    CHECK(pw::reconcile(input).dashboard.response.checks.at("api").hours.at(k_rt_t0) == HourFigure{120, 900});
  }
}
