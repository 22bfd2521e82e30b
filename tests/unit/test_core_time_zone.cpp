#include <bot/core/cron.hpp>
#include <bot/core/time_zone.hpp>
#include <bot/model/maintenance.hpp>

#include <doctest/doctest.h>

#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

using namespace std::chrono_literals;

namespace {

pw::TimePoint utc(int y, unsigned m, unsigned d, int h, int min = 0) {
  return std::chrono::sys_days{std::chrono::year{y} / m / d} + std::chrono::hours(h) + std::chrono::minutes(min);
}

void put(std::string& out, std::int64_t value, int width) {
  for (int i = width - 1; i >= 0; --i) {
    out += static_cast<char>((static_cast<std::uint64_t>(value) >> (8 * i)) & 0xFF);
  }
}

// A TZif version 2 file: offsets by type, transitions as (UTC seconds, type), and a footer.
std::string tzif(const std::vector<std::int32_t>& offsets, const std::vector<std::pair<std::int64_t, int>>& transitions,
                 const std::string& footer) {
  auto header = [&](std::string& out, std::size_t times) {
    out += "TZif2";
    out += std::string(15, '\0');
    for (const std::size_t count :
         {std::size_t{0}, std::size_t{0}, std::size_t{0}, times, offsets.size(), std::size_t{4}}) {
      put(out, static_cast<std::int64_t>(count), 4);
    }
  };
  std::string file;
  header(file, 0);  // an empty version 1 block, as zic -b slim writes
  for (const std::int32_t offset : offsets) {
    put(file, offset, 4);
    file += '\0';
    file += '\0';
  }
  file += std::string("UTC") + '\0';
  header(file, transitions.size());
  for (const auto& [at, type] : transitions) {
    put(file, at, 8);
  }
  for (const auto& [at, type] : transitions) {
    put(file, type, 1);
  }
  for (const std::int32_t offset : offsets) {
    put(file, offset, 4);
    file += '\0';
    file += '\0';
  }
  file += std::string("UTC") + '\0';
  file += "\n" + footer + "\n";
  return file;
}

std::int64_t seconds(pw::TimePoint t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

pw::TimeZone berlin_by_rule() {
  auto zone = pw::TimeZone::from_tzif(tzif({3600}, {}, "CET-1CEST,M3.5.0,M10.5.0/3"), "Europe/Berlin");
  REQUIRE(zone.has_value());
  return *zone;
}

// Berlin's 2026 changes as listed transitions (no footer), as a fat file would list them.
pw::TimeZone berlin_by_transitions() {
  auto zone = pw::TimeZone::from_tzif(
      tzif({3600, 7200},
           {{seconds(utc(2025, 10, 26, 1)), 0}, {seconds(utc(2026, 3, 29, 1)), 1}, {seconds(utc(2026, 10, 25, 1)), 0}},
           ""),
      "Europe/Berlin");
  REQUIRE(zone.has_value());
  return *zone;
}

pw::MaintenanceWindow weekly(std::string cron, pw::Millis duration, std::string zone = "Europe/Berlin") {
  pw::MaintenanceWindow window;
  window.name = "Weekly deploy";
  auto parsed = pw::parse_cron(cron);
  REQUIRE(parsed.has_value());
  window.cron = *parsed;
  window.cron_text = cron;
  window.duration = duration;
  window.timezone = std::move(zone);
  return window;
}

}  // namespace

TEST_CASE("time zone: offsets from a POSIX rule and from listed transitions agree") {
  for (const pw::TimeZone& zone : {berlin_by_rule(), berlin_by_transitions()}) {
    CAPTURE(zone.name());
    CHECK(zone.offset_at(utc(2026, 3, 29, 0, 59)) == 1h);
    CHECK(zone.offset_at(utc(2026, 3, 29, 1, 0)) == 2h);
    CHECK(zone.offset_at(utc(2026, 7, 1, 12)) == 2h);
    CHECK(zone.offset_at(utc(2026, 10, 25, 0, 59)) == 2h);
    CHECK(zone.offset_at(utc(2026, 10, 25, 1, 0)) == 1h);
    CHECK(zone.offset_at(utc(2026, 12, 1, 12)) == 1h);
  }
  SUBCASE("west of Greenwich, and the United States' default rule") {
    auto zone = pw::TimeZone::from_tzif(tzif({-18000}, {}, "EST5EDT"), "America/New_York");
    REQUIRE(zone.has_value());
    CHECK(zone->offset_at(utc(2026, 3, 8, 6, 59)) == -5h);  // second Sunday of March, 02:00 EST
    CHECK(zone->offset_at(utc(2026, 3, 8, 7, 0)) == -4h);
    CHECK(zone->offset_at(utc(2026, 11, 1, 5, 59)) == -4h);  // first Sunday of November, 02:00 EDT
    CHECK(zone->offset_at(utc(2026, 11, 1, 6, 0)) == -5h);
  }
  SUBCASE("southern hemisphere: summer time spans the new year") {
    auto zone = pw::TimeZone::from_tzif(tzif({36000}, {}, "AEST-10AEDT,M10.1.0,M4.1.0/3"), "Australia/Sydney");
    REQUIRE(zone.has_value());
    CHECK(zone->offset_at(utc(2026, 1, 15, 0)) == 11h);
    CHECK(zone->offset_at(utc(2026, 7, 15, 0)) == 10h);
    CHECK(zone->offset_at(utc(2026, 12, 15, 0)) == 11h);
  }
  SUBCASE("the system's own file, when there is one") {
    std::ifstream in("/usr/share/zoneinfo/Europe/Berlin", std::ios::binary);
    if (in) {
      std::stringstream bytes;
      bytes << in.rdbuf();
      auto zone = pw::TimeZone::from_tzif(bytes.str(), "Europe/Berlin");
      REQUIRE(zone.has_value());
      CHECK(zone->offset_at(utc(2026, 3, 29, 1, 0)) == 2h);
      CHECK(zone->offset_at(utc(2041, 10, 27, 1, 0)) == 1h);  // last Sunday of October 2041
      CHECK(zone->offset_at(utc(1990, 7, 1, 0)) == 2h);
    }
  }
}

TEST_CASE("time zone: local times the clock skips or shows twice") {
  const pw::TimeZone zone = berlin_by_rule();
  auto local = [](pw::TimePoint wall) { return std::chrono::duration_cast<pw::LocalSeconds>(wall.time_since_epoch()); };
  CHECK(zone.to_utc(local(utc(2026, 12, 6, 2))) == utc(2026, 12, 6, 1));
  CHECK(zone.to_utc(local(utc(2026, 6, 7, 2))) == utc(2026, 6, 7, 0));
  // 02:30 on 29 March 2026 does not exist (02:00 CET becomes 03:00 CEST): read as CET, 03:30 CEST.
  CHECK(zone.to_utc(local(utc(2026, 3, 29, 2, 30))) == utc(2026, 3, 29, 1, 30));
  // 02:30 on 25 October 2026 happens twice: the first, still CEST.
  CHECK(zone.to_utc(local(utc(2026, 10, 25, 2, 30))) == utc(2026, 10, 25, 0, 30));
  CHECK(zone.to_local(utc(2026, 10, 25, 1, 30)) == local(utc(2026, 10, 25, 2, 30)));
}

TEST_CASE("time zone: broken files and names") {
  CHECK(pw::TimeZone::from_tzif("", "X").error().message ==
        "the time zone file of \"X\" is not a valid TZif file (bad header)");
  std::string cut = tzif({3600}, {{0, 0}}, "CET-1");
  cut.resize(cut.size() - 20);
  CHECK(pw::TimeZone::from_tzif(cut, "X").error().message ==
        "the time zone file of \"X\" is not a valid TZif file (cut short)");
  CHECK(pw::TimeZone::from_tzif(tzif({3600}, {{0, 3}}, "CET-1"), "X").error().message ==
        "the time zone file of \"X\" is not a valid TZif file (bad transition)");
  CHECK(pw::TimeZone::from_tzif(tzif({3600}, {}, "1CET"), "X").error().message ==
        "the time zone file of \"X\" is not a valid TZif file (footer \"1CET\" is not a POSIX TZ rule)");
  CHECK(pw::valid_time_zone_name("Europe/Berlin"));
  CHECK(pw::valid_time_zone_name("Etc/GMT+5"));
  CHECK_FALSE(pw::valid_time_zone_name("../etc/passwd"));
  CHECK_FALSE(pw::valid_time_zone_name("/etc/passwd"));
  CHECK_FALSE(pw::valid_time_zone_name("Europe/./Berlin"));
  CHECK_FALSE(pw::valid_time_zone_name(""));
}

TEST_CASE("cron: expressions and their errors") {
  auto times = [](const std::string& text, pw::TimePoint from, pw::TimePoint to) {
    auto schedule = pw::parse_cron(text);
    REQUIRE(schedule.has_value());
    std::vector<pw::TimePoint> out;
    for (const auto local : schedule->fire_times(std::chrono::duration_cast<pw::LocalSeconds>(from.time_since_epoch()),
                                                 std::chrono::duration_cast<pw::LocalSeconds>(to.time_since_epoch()))) {
      out.push_back(pw::TimePoint(local));
    }
    return out;
  };
  CHECK(times("0 2 * * SUN", utc(2026, 11, 30, 0), utc(2026, 12, 14, 0)) ==
        std::vector{utc(2026, 12, 6, 2), utc(2026, 12, 13, 2)});
  CHECK(times("0 2 * * 7", utc(2026, 12, 1, 0), utc(2026, 12, 8, 0)) == std::vector{utc(2026, 12, 6, 2)});
  CHECK(times("*/20 9-10 1 jan-mar *", utc(2026, 1, 1, 0), utc(2026, 1, 2, 0)).size() == 6);
  // Both day fields restricted: either matches (the 1st, and every Sunday).
  CHECK(times("0 0 1 * sun", utc(2026, 11, 28, 0), utc(2026, 12, 8, 0)) ==
        std::vector{utc(2026, 11, 29, 0), utc(2026, 12, 1, 0), utc(2026, 12, 6, 0)});
  CHECK(times("@daily", utc(2026, 12, 1, 0), utc(2026, 12, 3, 0)).size() == 2);
  CHECK(times("5/15 0 * * *", utc(2026, 12, 1, 0), utc(2026, 12, 2, 0)) ==
        std::vector{utc(2026, 12, 1, 0, 5), utc(2026, 12, 1, 0, 20), utc(2026, 12, 1, 0, 35), utc(2026, 12, 1, 0, 50)});

  CHECK(pw::parse_cron("0 2 * *").error().message ==
        "a cron expression has 5 fields (minute hour day-of-month month day-of-week), as in \"0 2 * * SUN\"; this "
        "one has 4");
  CHECK(pw::parse_cron("60 2 * * *").error().message == "minute 60 is out of range 0-59");
  CHECK(pw::parse_cron("0 2 * * FUNDAY").error().message == "\"FUNDAY\" is not a day of week");
  CHECK(pw::parse_cron("0 5-2 * * *").error().message == "range 5-2 in the hour field runs backwards");
  CHECK(pw::parse_cron("*/0 * * * *").error().message == "step \"0\" in the minute field must be a number from 1");
}

TEST_CASE("maintenance: a weekly window in Europe/Berlin across the DST changes") {
  const pw::TimeZone zone = berlin_by_rule();
  const auto window = weekly("0 2 * * SUN", 1h);
  SUBCASE("winter: 02:00 CET is 01:00 UTC") {
    CHECK_FALSE(pw::active_span(window, zone, utc(2026, 12, 6, 0, 59)));
    CHECK(pw::active_span(window, zone, utc(2026, 12, 6, 1, 0)) ==
          pw::TimeSpan{utc(2026, 12, 6, 1), utc(2026, 12, 6, 2)});
    CHECK_FALSE(pw::active_span(window, zone, utc(2026, 12, 6, 2, 0)));
  }
  SUBCASE("summer: 02:00 CEST is 00:00 UTC") {
    CHECK(pw::active_span(window, zone, utc(2026, 6, 7, 0, 30)) ==
          pw::TimeSpan{utc(2026, 6, 7, 0), utc(2026, 6, 7, 1)});
    CHECK_FALSE(pw::active_span(window, zone, utc(2026, 6, 7, 1, 30)));
  }
  SUBCASE("spring forward: 02:00 is skipped, the window starts when the clock jumps") {
    CHECK_FALSE(pw::active_span(window, zone, utc(2026, 3, 29, 0, 59)));
    CHECK(pw::active_span(window, zone, utc(2026, 3, 29, 1, 30)) ==
          pw::TimeSpan{utc(2026, 3, 29, 1), utc(2026, 3, 29, 2)});
  }
  SUBCASE("fall back: 02:00 happens twice, the window opens once, at the first") {
    CHECK(pw::active_span(window, zone, utc(2026, 10, 25, 0, 30)) ==
          pw::TimeSpan{utc(2026, 10, 25, 0), utc(2026, 10, 25, 1)});
    CHECK_FALSE(pw::active_span(window, zone, utc(2026, 10, 25, 1, 30)));
  }
  SUBCASE("a duration is elapsed time, also across a change") {
    const auto nightly = weekly("30 1 * * *", 2h);
    CHECK(pw::active_span(nightly, zone, utc(2026, 3, 29, 2, 0)) ==
          pw::TimeSpan{utc(2026, 3, 29, 0, 30), utc(2026, 3, 29, 2, 30)});
  }
  SUBCASE("spans over a range, for uptime") {
    const pw::TimeSpans spans = pw::window_spans(window, zone, {utc(2026, 3, 20, 0), utc(2026, 4, 6, 0)});
    CHECK(spans == pw::TimeSpans{{utc(2026, 3, 22, 1), utc(2026, 3, 22, 2)},
                                 {utc(2026, 3, 29, 1), utc(2026, 3, 29, 2)},
                                 {utc(2026, 4, 5, 0), utc(2026, 4, 5, 1)}});
  }
}

TEST_CASE("maintenance: which checks the windows pause") {
  pw::MaintenanceWindow upgrade;
  upgrade.name = "Database upgrade";
  upgrade.checks = {"api"};
  upgrade.fixed = pw::TimeSpan{utc(2026, 12, 1, 2), utc(2026, 12, 1, 3)};
  auto deploy = weekly("0 2 * * SUN", 1h);
  const std::map<std::string, pw::TimeZone> zones{{"Europe/Berlin", berlin_by_rule()}};
  const std::vector<std::string> ids{"api", "web"};
  CHECK(pw::paused_by_windows({upgrade, deploy}, zones, ids, utc(2026, 12, 1, 1, 59)).empty());
  CHECK(pw::paused_by_windows({upgrade, deploy}, zones, ids, utc(2026, 12, 1, 2, 0)) ==
        pw::Pauses{{"api", {"Database upgrade", utc(2026, 12, 1, 3), 0}}});
  CHECK(pw::paused_by_windows({upgrade, deploy}, zones, ids, utc(2026, 12, 1, 3, 0)).empty());
  CHECK(pw::paused_by_windows({upgrade, deploy}, zones, ids, utc(2026, 12, 6, 1, 10)) ==
        pw::Pauses{{"api", {"Weekly deploy", utc(2026, 12, 6, 2), 0}},
                   {"web", {"Weekly deploy", utc(2026, 12, 6, 2), 0}}});
}
