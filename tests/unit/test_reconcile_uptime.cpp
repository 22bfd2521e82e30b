#include <bot/reconcile/uptime.hpp>

#include <doctest/doctest.h>

using namespace std::chrono_literals;

namespace {

const pw::TimePoint k_now = std::chrono::sys_days{std::chrono::year{2026} / 12 / 1} + 12h;

}  // namespace

TEST_CASE("uptime: outages, unknown time and maintenance over a period") {
  const pw::TimeSpan day{k_now - 24h, k_now};
  SUBCASE("nothing known but up") {
    const pw::Uptime figure = pw::uptime(day, {}, {}, {});
    CHECK(figure.up == 24h);
    CHECK(figure.ratio() == doctest::Approx(1.0));
    CHECK(pw::format_ratio(figure.ratio()) == "100%");
  }
  SUBCASE("one outage of an hour, part of it before the period") {
    const pw::Uptime figure = pw::uptime(day, {{k_now - 25h, k_now - 23h}}, {}, {});
    CHECK(figure.down == 1h);
    CHECK(figure.up == 23h);
    CHECK(pw::format_ratio(figure.ratio()) == "95.83%");
  }
  SUBCASE("maintenance wins over an outage, unknown time is never up") {
    const pw::Uptime figure = pw::uptime(day, {{k_now - 10h, k_now - 8h}, {k_now - 9h, k_now - 7h}},
                                         {{k_now - 24h, k_now - 18h}}, {{k_now - 10h, k_now - 9h}});
    CHECK(figure.maintenance == 1h);
    CHECK(figure.unknown == 6h);
    CHECK(figure.down == 2h);  // 9h..7h ago: the overlapping outages count once
    CHECK(figure.up == 15h);
    CHECK(pw::format_ratio(figure.ratio()) == "88.23%");  // 15 / 17, floored
  }
  SUBCASE("all unknown: no figure") {
    const pw::Uptime figure = pw::uptime(day, {}, {{pw::TimePoint{}, k_now}}, {});
    CHECK_FALSE(figure.ratio());
    CHECK(pw::format_ratio(figure.ratio()) == "–");
  }
  SUBCASE("99.9996% is not shown as 100%") { CHECK(pw::format_ratio(0.999996) == "99.99%"); }
}

TEST_CASE("uptime: outages come from the dashboard's history and its open incidents") {
  pw::DashboardState state;
  state.since = k_now - 48h;
  state.history = {{"api", 3, k_now - 30h, k_now - 29h, "status 503"}, {"web", 4, k_now - 5h, k_now - 4h, ""}};
  pw::CheckMemory failing;
  failing.status = pw::CheckMemory::Status::failing;
  failing.since = k_now - 2h;
  failing.incident = 9;
  state.checks["api"] = failing;
  CHECK(pw::outages_of(state, "api", k_now) == pw::TimeSpans{{k_now - 30h, k_now - 29h}, {k_now - 2h, k_now}});
  CHECK(pw::outages_of(state, "web", k_now) == pw::TimeSpans{{k_now - 5h, k_now - 4h}});
  const pw::Uptime week =
      pw::uptime({k_now - 7 * 24h, k_now}, pw::outages_of(state, "api", k_now), pw::unknown_spans(state, k_now), {});
  CHECK(week.unknown == 5 * 24h);
  CHECK(week.down == 3h);
  CHECK(week.up == 45h);
}

TEST_CASE("uptime: monitoring gaps are unknown time, never up, and an outage inside one is not counted twice") {
  pw::DashboardState state;
  state.since = k_now - 48h;
  // Runs came late twice: 6 hours unobserved, part of it during an outage, and an hour later on.
  state.gaps = {{k_now - 20h, k_now - 14h}, {k_now - 3h, k_now - 2h}};
  state.history = {{"api", 3, k_now - 16h, k_now - 12h, "status 503"}};
  CHECK(pw::unknown_spans(state, k_now) ==
        pw::TimeSpans{{pw::TimePoint{}, k_now - 48h}, {k_now - 20h, k_now - 14h}, {k_now - 3h, k_now - 2h}});
  const pw::Uptime day =
      pw::uptime({k_now - 24h, k_now}, pw::outages_of(state, "api", k_now), pw::unknown_spans(state, k_now), {});
  CHECK(day.unknown == 7h);
  CHECK(day.down == 2h);  // 14h..12h ago: the part of the outage that was observed
  CHECK(day.up == 15h);
  CHECK(pw::format_ratio(day.ratio()) == "88.23%");  // 15 / 17
  // A gap still open (the run that found it is now) ends at now.
  state.gaps.push_back({k_now - 1h, k_now + 1h});
  CHECK(pw::unknown_spans(state, k_now).back() == pw::TimeSpan{k_now - 1h, k_now});
}
