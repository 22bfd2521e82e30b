#include <bot/reconcile/marker.hpp>

#include <doctest/doctest.h>

using namespace std::chrono_literals;

namespace {
const pw::TimePoint k_marker_t0 = std::chrono::sys_days{std::chrono::year{2026} / 11 / 27} + 12h;
}

TEST_CASE("marker: an incident round-trips through an issue body") {
  pw::IncidentState state;
  state.check = "api-health";
  state.first_seen = k_marker_t0;
  state.last_seen = k_marker_t0 + 5min;
  state.runs_failed = 3;
  state.signature = "status:404";
  state.reported = "timeout";
  state.config = ".github/probewatch.yml";
  state.reason = "status 404 not in [200] --> <b>";
  state.last_comment = k_marker_t0;
  state.passes = 1;
  const std::string marker = pw::format_marker(state);
  CHECK(marker.starts_with("<!-- probewatch:v1 {"));
  CHECK(marker.find("-->") == marker.size() - 3);  // nothing inside closes the comment early
  const auto parsed = pw::parse_marker("People wrote this.\n\n" + marker + "\nmore text");
  REQUIRE(parsed.has_value());
  CHECK(std::get<pw::IncidentState>(*parsed) == state);
}

TEST_CASE("marker: the dashboard round-trips") {
  pw::DashboardState state;
  state.scope = "2/10";
  pw::CheckMemory memory;
  memory.status = pw::CheckMemory::Status::muted;
  memory.since = k_marker_t0;
  memory.muted_by = 7;
  memory.closed = 3;
  memory.closed_at = k_marker_t0 - 1h;
  state.checks["api"] = memory;
  state.config = "monitor.yml";
  state.hosts["api.example.com"] = {"nginx/1.22", "x-request-id"};
  state.hosts["web.example.com"] = {"", "traceparent"};
  const auto parsed = pw::parse_marker(pw::format_marker(state));
  REQUIRE(parsed.has_value());
  CHECK(std::get<pw::DashboardState>(*parsed) == state);

  SUBCASE("a passing check with nothing to remember is left out") {
    state.checks["web"] = pw::CheckMemory{};
    const std::string text = pw::format_marker(state);
    CHECK(text.find("\"web\"") == std::string::npos);
    state.checks.erase("web");
    CHECK(std::get<pw::DashboardState>(*pw::parse_marker(text)) == state);
  }
}

TEST_CASE("marker: markers from before owners and the change throttle read as such") {
  const auto incident = pw::parse_marker(
      R"(<!-- probewatch:v1 {"kind":"incident","check":"a","signature":"status:502","good_server":"x"} -->)");
  REQUIRE(incident.has_value());
  CHECK(std::get<pw::IncidentState>(*incident).config.empty());
  CHECK(std::get<pw::IncidentState>(*incident).reported == "status:502");
  const auto dashboard = pw::parse_marker(
      R"(<!-- probewatch:v1 {"kind":"dashboard","checks":{"a":{"status":"passing","since":"2026-11-27T12:00:00Z","good_server":"nginx"},"b":{"status":"muted","muted_by":4}}} -->)");
  REQUIRE(dashboard.has_value());
  const auto& state = std::get<pw::DashboardState>(*dashboard);
  CHECK(state.config.empty());
  CHECK(state.checks.size() == 1);
  CHECK(state.checks.at("b").muted_by == 4);
}

TEST_CASE("marker: missing, malformed or foreign markers are not ours") {
  CHECK_FALSE(pw::parse_marker("no marker here").has_value());
  CHECK_FALSE(pw::parse_marker("<!-- probewatch:v1 {not json} -->").has_value());
  CHECK_FALSE(pw::parse_marker("<!-- probewatch:v1 {\"kind\":\"incident\"} -->").has_value());
  CHECK_FALSE(pw::parse_marker("<!-- probewatch:v1 [1,2] -->").has_value());
  CHECK_FALSE(pw::parse_marker("<!-- probewatch:v2 {\"kind\":\"incident\",\"check\":\"a\"} -->").has_value());
  CHECK_FALSE(pw::parse_marker("<!-- probewatch:v1 {\"kind\":\"incident\",\"check\":\"a\"}").has_value());
  CHECK_FALSE(pw::parse_marker("<!-- probewatch:v1 {\"kind\":\"other\",\"check\":\"a\"} -->").has_value());
}

TEST_CASE("marker: hostile values are ignored, not trusted") {
  const auto parsed = pw::parse_marker(
      R"(<!-- probewatch:v1 {"kind":"incident","check":"a","runs_failed":-5,"passes":1e300,"first_seen":"yesterday","signature":7} -->)");
  REQUIRE(parsed.has_value());
  const auto& state = std::get<pw::IncidentState>(*parsed);
  CHECK(state.runs_failed == 0);
  CHECK(state.passes == 0);
  CHECK(state.first_seen == pw::TimePoint{});
  CHECK(state.signature.empty());
}

TEST_CASE("marker: the dashboard remembers the latest deployment, and drops a forged one") {
  pw::DashboardState state;
  state.config = "c.yml";
  pw::Deployment deployment;
  deployment.state = "in_progress";
  deployment.id = 42;
  deployment.environment = "production";
  deployment.environment_url = "https://app.example.com";
  deployment.sha = "3f2a9c1d4e5b6a7980112233445566778899aabb";
  deployment.ref = "v1.4.2";
  deployment.created_at = std::chrono::sys_days{std::chrono::year{2026} / 12 / 2} + std::chrono::hours(5);
  state.deploy = pw::remembered_deploy(deployment);
  const std::string marker = pw::format_marker(state);
  CHECK(
      marker.find(
          R"("deploy":{"at":"2026-12-02T05:00:00Z","env":"production","ref":"v1.4.2","sha":"3f2a9c1d4e5b6a7980112233445566778899aabb"})") !=
      std::string::npos);
  const auto parsed = pw::parse_marker(marker);
  REQUIRE(parsed.has_value());
  const auto& read = std::get<pw::DashboardState>(*parsed);
  REQUIRE(read.deploy.has_value());
  CHECK(read == state);
  CHECK(read.deploy->state == "success");  // remembered as rolling out
  CHECK(read.deploy->environment_url.empty());

  std::string forged = marker;
  forged.replace(forged.find("3f2a9c1d"), 8, "../../..");
  CHECK_FALSE(std::get<pw::DashboardState>(*pw::parse_marker(forged)).deploy.has_value());
}
