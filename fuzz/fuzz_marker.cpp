// Fuzzes the hidden marker parser (issue bodies are outside input: anyone may edit them).
// Beyond not crashing: a marker that parses formats back to one line that parses to the same
// state, and no value can end the HTML comment early.

#include "fuzz_check.hpp"

#include <bot/reconcile/marker.hpp>

#include <string>
#include <variant>

namespace {

// The formatted marker is a single HTML comment: "-->" only at its very end.
void check_formatted(const std::string& text) {
  FUZZ_CHECK(text.starts_with("<!-- probewatch:v1 "));
  FUZZ_CHECK(text.ends_with(" -->"));
  FUZZ_CHECK(text.find("-->") == text.size() - 3);
  FUZZ_CHECK(text.find('\n') == std::string::npos);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto marker = pw::parse_marker(fuzz::as_text(data, size));
  if (!marker) {
    return 0;
  }
  if (const auto* incident = std::get_if<pw::IncidentState>(&*marker)) {
    FUZZ_CHECK(!incident->check.empty());
    FUZZ_CHECK(incident->runs_failed >= 0 && incident->passes >= 0);
    const std::string text = pw::format_marker(*incident);
    check_formatted(text);
    const auto again = pw::parse_marker("Some issue text\n\n" + text + "\n");
    FUZZ_CHECK(again.has_value());
    const auto* round = std::get_if<pw::IncidentState>(&*again);
    FUZZ_CHECK(round != nullptr && *round == *incident);
  } else {
    const auto& dashboard = std::get<pw::DashboardState>(*marker);
    const std::string text = pw::format_marker(dashboard);
    check_formatted(text);
    const auto again = pw::parse_marker(text);
    FUZZ_CHECK(again.has_value());
    const auto* round = std::get_if<pw::DashboardState>(&*again);
    FUZZ_CHECK(round != nullptr && *round == dashboard);
  }
  return 0;
}
