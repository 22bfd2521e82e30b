#include <bot/core/duration.hpp>

#include <doctest/doctest.h>

using namespace std::chrono_literals;

TEST_CASE("duration: parses the units people write") {
  CHECK(pw::parse_duration("250ms").value() == 250ms);
  CHECK(pw::parse_duration("10s").value() == 10s);
  CHECK(pw::parse_duration("5m").value() == 5min);
  CHECK(pw::parse_duration("2h").value() == 2h);
  CHECK(pw::parse_duration("1d").value() == 24h);
  CHECK(pw::parse_duration("1h30m").value() == 90min);
  CHECK(pw::parse_duration("0s").value() == 0ms);
}

TEST_CASE("duration: rejects what it cannot read, saying how to write it") {
  CHECK(pw::parse_duration("").error().message == "empty duration; write it like 250ms, 10s, 5m or 1h");
  CHECK(pw::parse_duration("10").error().message ==
        "duration \"10\" needs a unit (ms, s, m, h or d), as in 250ms, 10s, 5m or 1h");
  CHECK(pw::parse_duration("10 s").error().message ==
        "duration \"10 s\" needs a unit (ms, s, m, h or d), as in 250ms, 10s, 5m or 1h");
  CHECK(pw::parse_duration("-5s").error().message == "invalid duration \"-5s\"; write it like 250ms, 10s, 5m or 1h");
  CHECK(
      pw::parse_duration("10parsecs").error().message ==
      "duration \"10parsecs\" has an unknown unit \"parsecs\": use ms, s, m, h or d, as in 250ms, 10s, 5m, 1h or 14d");
  CHECK(pw::parse_duration("2w").error().message ==
        "duration \"2w\" has an unknown unit \"w\": use ms, s, m, h or d, as in 250ms, 10s, 5m, 1h or 14d");
  CHECK(pw::parse_duration("99999999999999999999d").error().message ==
        "duration \"99999999999999999999d\" is too large");
  CHECK(pw::parse_duration("9999999999999999d").error().message == "duration \"9999999999999999d\" is too large");
}

TEST_CASE("duration: formats for people") {
  CHECK(pw::format_duration(250ms) == "250ms");
  CHECK(pw::format_duration(1500ms) == "1.5s");
  CHECK(pw::format_duration(10s) == "10s");
  CHECK(pw::format_duration(5min) == "5m");
  CHECK(pw::format_duration(65min) == "1h 5m");
  CHECK(pw::format_duration(51h) == "2d 3h");
  CHECK(pw::format_duration(48h) == "2d");
}
