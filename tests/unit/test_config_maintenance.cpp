#include <bot/config/load.hpp>

#include <doctest/doctest.h>

#include <string>

using namespace std::chrono_literals;

namespace {

const std::string k_one_check = "checks:\n  - id: api-health\n    url: https://example.test/health\n";

std::string maintenance_error(const std::string& maintenance) {
  auto config = pw::load_config(k_one_check + maintenance, "probewatch.yml", {});
  REQUIRE_FALSE(config.has_value());
  return config.error().message;
}

}  // namespace

TEST_CASE("config: maintenance windows") {
  auto config = pw::load_config(k_one_check + R"(maintenance:
  - name: Database upgrade
    checks: [api-health]
    start: 2026-12-01T02:00:00Z
    end: 2026-12-01T03:00:00+00:00
  - name: Weekly deploy
    cron: "0 2 * * SUN"
    duration: 1h
    timezone: Europe/Berlin
issues:
  maintenance_label: paused
)",
                                "probewatch.yml", {});
  REQUIRE(config.has_value());
  REQUIRE(config->maintenance.size() == 2);
  const pw::MaintenanceWindow& upgrade = config->maintenance[0];
  CHECK(upgrade.name == "Database upgrade");
  CHECK(upgrade.checks == std::vector<std::string>{"api-health"});
  REQUIRE(upgrade.fixed);
  CHECK(upgrade.fixed->length() == 1h);
  CHECK(upgrade.location.line == 5);
  const pw::MaintenanceWindow& deploy = config->maintenance[1];
  CHECK(deploy.checks.empty());
  CHECK(deploy.cron_text == "0 2 * * SUN");
  CHECK(deploy.duration == 1h);
  CHECK(deploy.timezone == "Europe/Berlin");
  CHECK(deploy.timezone_location.line == 12);
  CHECK(config->issues.maintenance_label == "paused");
  CHECK(pw::load_config(k_one_check, "probewatch.yml", {})->issues.maintenance_label == "maintenance");
}

TEST_CASE("config: maintenance errors name file, line and column") {
  CHECK(maintenance_error("maintenance: { name: x }\n") ==
        "probewatch.yml:4:14: \"maintenance\" must be a list of windows, each starting with \"- name:\"");
  CHECK(maintenance_error("maintenance:\n  - start: 2026-12-01T02:00:00Z\n") ==
        "probewatch.yml:5:5: maintenance[0] needs a name, shown on the dashboard");
  CHECK(maintenance_error("maintenance:\n  - name: Upgrade\n") ==
        "probewatch.yml:5:5: maintenance window \"Upgrade\" needs start and end (one-off) or cron and duration "
        "(recurring)");
  CHECK(
      maintenance_error("maintenance:\n  - name: Upgrade\n    start: 2026-12-01T02:00:00Z\n    cron: '0 2 * * *'\n") ==
      "probewatch.yml:5:5: maintenance window \"Upgrade\" sets both start/end and cron/duration; a window is "
      "one-off (start, end) or recurring (cron, duration)");
  CHECK(maintenance_error("maintenance:\n  - name: Upgrade\n    start: 2026-12-01T02:00:00Z\n") ==
        "probewatch.yml:5:5: maintenance window \"Upgrade\" has start but no end");
  CHECK(maintenance_error(
            "maintenance:\n  - name: Upgrade\n    start: 2026-12-01 02:00\n    end: 2026-12-01T03:00:00Z\n") ==
        "probewatch.yml:6:12: \"start\" must be an ISO 8601 time with Z or an offset, as in 2026-12-01T02:00:00Z, "
        "not \"2026-12-01 02:00\"");
  CHECK(maintenance_error(
            "maintenance:\n  - name: Upgrade\n    start: 2026-12-01T03:00:00Z\n    end: 2026-12-01T02:00:00Z\n") ==
        "probewatch.yml:7:10: maintenance window \"Upgrade\" ends before it starts");
  CHECK(maintenance_error(
            "maintenance:\n  - name: Upgrade\n    start: 2026-12-01T02:00:00Z\n    end: 2026-12-01T03:00:00Z\n"
            "    timezone: Europe/Berlin\n") ==
        "probewatch.yml:8:15: maintenance window \"Upgrade\": \"timezone\" applies to cron windows; start and end "
        "carry their own offset (Z or +01:00)");
  CHECK(maintenance_error("maintenance:\n  - name: Deploy\n    cron: '0 2 * * SUN'\n") ==
        "probewatch.yml:5:5: maintenance window \"Deploy\" has cron but no duration");
  CHECK(maintenance_error("maintenance:\n  - name: Deploy\n    cron: '0 25 * * SUN'\n    duration: 1h\n") ==
        "probewatch.yml:6:11: \"cron\": hour 25 is out of range 0-23");
  CHECK(maintenance_error("maintenance:\n  - name: Deploy\n    cron: '0 2 * * SUN'\n    duration: 8d\n") ==
        "probewatch.yml:7:15: maintenance window \"Deploy\" lasts 8d; a recurring window lasts more than 0s and at "
        "most 7d");
  CHECK(maintenance_error(
            "maintenance:\n  - name: Deploy\n    cron: '0 2 * * SUN'\n    duration: 1h\n    timezone: ../x\n") ==
        "probewatch.yml:8:15: \"timezone\" \"../x\" is not a tz database name such as Europe/Berlin or UTC");
  CHECK(maintenance_error(
            "maintenance:\n  - name: Deploy\n    checks: [api-helth]\n    cron: '0 2 * * SUN'\n    duration: 1h\n") ==
        "probewatch.yml:6:13: maintenance window \"Deploy\" names check \"api-helth\", which is not in checks; use a "
        "check's id");
  CHECK(maintenance_error(
            "maintenance:\n  - name: Deploy\n    cron: '0 2 * * SUN'\n    duration: 1h\n    timezon: UTC\n") ==
        "probewatch.yml:8:5: unknown key \"timezon\" in a maintenance window; did you mean \"timezone\"?");
}
