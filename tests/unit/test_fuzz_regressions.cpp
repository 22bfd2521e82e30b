// Inputs the fuzz targets (fuzz/, scripts/fuzz) found to crash or break an invariant, kept as
// unit tests once fixed. Each names the target that found it.

#include <bot/config/load.hpp>
#include <bot/probe/dns_message.hpp>
#include <bot/reconcile/marker.hpp>
#include <github_client/iso8601.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <string_view>
#include <variant>

using namespace std::string_view_literals;
using namespace std::string_literals;

namespace {

// True when `text` has no byte below 0x20 (so no line break) other than tab.
bool one_line(const std::string& text) {
  return std::none_of(text.begin(), text.end(),
                      [](char c) { return c != '\t' && static_cast<unsigned char>(c) < 0x20; });
}

}  // namespace

TEST_CASE("fuzz regression: ISO 8601 times past 2262 are rejected, not overflowed") {
  // fuzz_small_parsers: year 4052 overflowed the 64-bit nanosecond count (UBSan: signed overflow).
  CHECK_FALSE(github::parse_iso8601("4052-11-27T23:52:28Z"));
  CHECK_FALSE(github::parse_iso8601("9999-12-31T23:59:60Z"));
  CHECK_FALSE(github::parse_iso8601("2262-04-11T23:47:17Z"));
  CHECK(github::format_iso8601(*github::parse_iso8601("2262-04-11T23:47:16Z")) == "2262-04-11T23:47:16Z");
}

TEST_CASE("fuzz regression: an ISO 8601 offset cannot move a time before 1970") {
  // fuzz_small_parsers: 1970-01-01T00:30:00+01:00 is 1969, which format_iso8601 writes as a
  // time parse_iso8601 refuses.
  CHECK_FALSE(github::parse_iso8601("1970-01-01T00:30:00+01:00"));
  CHECK(github::parse_iso8601("1970-01-01T00:30:00-01:00") == github::TimePoint{std::chrono::minutes{90}});
}

TEST_CASE("fuzz regression: a marker with a far-future time parses without overflow") {
  // fuzz_marker: "first_seen" in year 9199 overflowed while decoding the marker.
  const auto marker = pw::parse_marker(
      "<!-- probewatch:v1 {\"kind\":\"incident\",\"check\":\"api-health\",\"first_seen\":\"9199-11-27T10:05:00Z\","
      "\"last_seen\":\"2026-11-27T12:05:00Z\",\"runs_failed\":3} -->");
  REQUIRE(marker.has_value());
  const auto& state = std::get<pw::IncidentState>(*marker);
  CHECK(state.first_seen == pw::TimePoint{});  // unreadable times read as unset
  CHECK(pw::parse_marker(pw::format_marker(state)) == marker);
}

TEST_CASE("fuzz regression: a dashboard entry's closed_at without closed is dropped when read") {
  // fuzz_marker: format_marker writes closed_at only with closed, so a hand-edited marker with
  // closed_at alone changed on its first round trip.
  const auto marker = pw::parse_marker(
      "<!-- probewatch:v1 {\"kind\":\"dashboard\",\"checks\":{\"web\":{\"status\":\"muted\",\"since\":\"\","
      "\"muted_by\":7,\"closed_at\":\"2026-11-20T00:00:00+02:00\"}}} -->");
  REQUIRE(marker.has_value());
  const auto& state = std::get<pw::DashboardState>(*marker);
  CHECK(state.checks.at("web").closed_at == pw::TimePoint{});
  CHECK(state.checks.at("web").muted_by == 7);
  CHECK(pw::parse_marker(pw::format_marker(state)) == marker);
}

TEST_CASE("fuzz regression: a YAML error quoting a control byte stays one line") {
  // fuzz_config: yaml-cpp's "unknown escape character" message carried the raw byte (here NUL
  // and a line break) into our "file:line:col: message" line.
  const auto config = pw::load_config(
      "base: &b {timeout: 1s}\nchecks:\n  - <<': \x01\0\n    name: y\n    url: https://h/\n"sv, "probewatch.yml", {});
  REQUIRE_FALSE(config);
  CHECK(config.error().message.starts_with("probewatch.yml:"));
  CHECK(config.error().message.find("invalid YAML") != std::string::npos);
  CHECK(one_line(config.error().message));
}

TEST_CASE("fuzz regression: a value with a line break is quoted on one line") {
  // Same cause as the one above, in our own messages: a double-quoted YAML value holding "\n"
  // split the error quoting it over two lines.
  const auto config = pw::load_config("checks:\n  - name: a\n    url: http://a/\n    expect: {status: \"20\\n0\"}\n",
                                      "probewatch.yml", {});
  REQUIRE_FALSE(config);
  CHECK(one_line(config.error().message));
  CHECK(config.error().message.find("not \"20\\n0\"") != std::string::npos);
}

TEST_CASE("fuzz regression: a stray comma at the top level fails instead of hanging") {
  // fuzz_config: yaml-cpp 0.7's LoadAll never returned (and kept allocating) on these.
  CHECK(pw::load_config(",\n", "probewatch.yml", {}).error().message ==
        "probewatch.yml:1:1: invalid YAML: cannot read on from here (a stray \",\"?)");
  CHECK(pw::load_config("[a, b]\n,\n", "probewatch.yml", {}).error().message ==
        "probewatch.yml:2:1: invalid YAML: cannot read on from here (a stray \",\"?)");
  CHECK(pw::load_config(",hecks:\n  - name: a\n    url: http://a/\n", "probewatch.yml", {}).error().message ==
        "probewatch.yml:1:1: invalid YAML: cannot read on from here (a stray \",\"?)");
}

TEST_CASE("fuzz regression: a value cut short in a message shows no part of a secret") {
  // fuzz_config: the url was cut to 80 bytes before secrets were redacted, so a secret across
  // the cut showed its first 19 characters.
  const pw::Environment env = {{"API_TOKEN", "s3cr3t-T0ken-0123456789"}};
  const std::string padding(70, 'x');
  SUBCASE("url") {
    const auto config = pw::load_config("checks:\n  - name: a\n    url: ntp/" + padding + ":/${API_TOKEN}@host/\n",
                                        "probewatch.yml", env);
    REQUIRE_FALSE(config);
    CHECK(config.error().message.find("s3cr3t") == std::string::npos);
    CHECK(config.error().message.find("ntp/" + padding + ":/**") != std::string::npos);
  }
  SUBCASE("a number") {
    const auto config = pw::load_config(
        "checks:\n  - name: a\n    url: http://a/\n    retries: " + padding + "${API_TOKEN}\n", "probewatch.yml", env);
    REQUIRE_FALSE(config);
    CHECK(config.error().message.find("s3cr3t") == std::string::npos);
  }
  SUBCASE("an id") {
    const auto config = pw::load_config(
        "checks:\n  - id: " + std::string(90, 'x') + "${API_TOKEN}\n    url: http://a/\n", "probewatch.yml", env);
    REQUIRE_FALSE(config);
    CHECK(config.error().message.find("s3cr3t") == std::string::npos);
  }
}

TEST_CASE("fuzz regression (dns_message): a CNAME, NS or MX naming the root reads as \".\", never empty") {
  const std::string header = "\x00\x01\x81\x80\x00\x01\x00\x02\x00\x00\x00\x00"s;
  const std::string question =
      "\x07"
      "example\x04"
      "test\x00\x00\x05\x00\x01"s;
  const std::string cname = "\xc0\x0c\x00\x05\x00\x01\x00\x00\x00\x3c\x00\x01\x00"s;
  const std::string mx = "\xc0\x0c\x00\x0f\x00\x01\x00\x00\x00\x3c\x00\x03\x00\x0a\x00"s;
  const auto response = pw::parse_dns_response(header + question + cname + mx);
  REQUIRE_MESSAGE(response.has_value(), response.error().message);
  REQUIRE(response->answers.size() == 2);
  CHECK(response->answers[0].type == "CNAME");
  CHECK(response->answers[0].value == ".");
  CHECK(response->answers[1].value == "10 .");
}
