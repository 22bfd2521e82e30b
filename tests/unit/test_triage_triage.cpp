#include <bot/triage/triage.hpp>

#include <doctest/doctest.h>

TEST_CASE("triage: normalized titles") {
  CHECK(pw::normalize_title("  API  Health is DOWN!  ") == "api health is down");
  CHECK(pw::normalize_title("Health check failed 2026-11-27 10:05") == "health check failed");
  CHECK(pw::normalize_title("Health check failed (2026-11-27T10:05:33Z)") == "health check failed");
  CHECK(pw::normalize_title("Site down at 10:05:33") == "site down at");
  CHECK(pw::normalize_title("API v1 down") != pw::normalize_title("API v2 down"));
  CHECK(pw::normalize_title("Error 404 on /health") == "error 404 on /health");
}

TEST_CASE("triage: duplicates by marker and by legacy title, the oldest kept") {
  auto issue = [](int number, std::string title, std::string body, std::vector<std::string> labels,
                  std::string created) {
    github::Issue out;
    out.number = number;
    out.title = std::move(title);
    out.body = std::move(body);
    out.labels = std::move(labels);
    out.created_at = std::move(created);
    out.state = "open";
    return out;
  };
  const std::string marker_a = "<!-- probewatch:v1 {\"kind\":\"incident\",\"check\":\"a\"} -->";
  const std::vector<github::Issue> open = {
      issue(75, "Health check failed", "", {"monitoring"}, "2026-11-05T10:00:00Z"),
      issue(66, "Health check failed", "curl exited 22", {"monitoring"}, "2026-11-01T10:00:00Z"),
      issue(68, "Health check failed ", "", {"monitoring"}, "2026-11-02T10:00:00Z"),
      issue(80, "Disk almost full", "", {"monitoring"}, "2026-11-06T10:00:00Z"),
      issue(90, "a is failing", marker_a, {"probewatch"}, "2026-11-07T10:00:00Z"),
      issue(91, "a is failing (copy)", marker_a, {"probewatch"}, "2026-11-08T10:00:00Z"),
      issue(92, "Health check failed", "", {"other"}, "2026-10-01T10:00:00Z"),
  };
  SUBCASE("without a legacy label only markers count") {
    const auto groups = pw::find_duplicates(open, std::nullopt);
    REQUIRE(groups.size() == 1);
    CHECK(groups[0].key == "a");
    CHECK(groups[0].keep.number == 90);
    REQUIRE(groups[0].duplicates.size() == 1);
    CHECK(groups[0].duplicates[0].number == 91);
  }
  SUBCASE("with a legacy label, same normalized titles under it merge") {
    const auto groups = pw::find_duplicates(open, "monitoring");
    REQUIRE(groups.size() == 2);
    const auto& legacy = groups[0].key == "a" ? groups[1] : groups[0];
    CHECK(legacy.key == "health check failed");
    CHECK(legacy.keep.number == 66);
    REQUIRE(legacy.duplicates.size() == 2);
    CHECK(legacy.duplicates[0].number == 68);
    CHECK(legacy.duplicates[1].number == 75);
  }
}

TEST_CASE("triage: two configs' incidents of one check id are not duplicates of each other") {
  auto incident = [](int number, const std::string& config) {
    github::Issue out;
    out.number = number;
    out.title = "a is failing";
    out.body = "<!-- probewatch:v1 {\"kind\":\"incident\",\"check\":\"a\",\"config\":\"" + config + "\"} -->";
    out.labels = {"probewatch"};
    out.state = "open";
    return out;
  };
  const auto groups = pw::find_duplicates(
      {incident(12, "ops/a.yml"), incident(9, "ops/b.yml"), incident(15, "ops/a.yml")}, std::nullopt);
  REQUIRE(groups.size() == 1);
  CHECK(groups[0].key == "a");
  CHECK(groups[0].keep.number == 12);  // the lower number, as reconcile keeps
  REQUIRE(groups[0].duplicates.size() == 1);
  CHECK(groups[0].duplicates[0].number == 15);
}
