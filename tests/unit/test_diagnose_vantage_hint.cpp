// The hint no single monitor can give: how the vantages inside and outside the network split.
#include <bot/diagnose/vantage_hint.hpp>

#include <doctest/doctest.h>

#include <optional>
#include <string>
#include <vector>

using pw::VantageNetwork;
using pw::VantageState;

namespace {

pw::VantageRow hint_row(std::string name, VantageNetwork network, VantageState state) {
  pw::VantageRow row;
  row.name = std::move(name);
  row.network = network;
  row.state = state;
  row.reason = state == VantageState::fail ? "status 503" : state == VantageState::unknown ? "no report" : "";
  return row;
}

std::string hint_id(const std::vector<pw::VantageRow>& rows) {
  const std::optional<pw::Hint> hint = pw::vantage_hint(rows);
  return hint ? hint->id : "";
}

// What one side of the network looks like in a case of the table below.
enum class SideMix { none, pass, fail, unknown, mixed, pass_and_unknown, fail_and_unknown };

std::vector<pw::VantageRow> side_rows(SideMix mix, VantageNetwork network, const std::string& prefix) {
  auto row = [&](int n, VantageState state) { return hint_row(prefix + std::to_string(n), network, state); };
  switch (mix) {
    case SideMix::none: return {};
    case SideMix::pass: return {row(1, VantageState::pass), row(2, VantageState::pass)};
    case SideMix::fail: return {row(1, VantageState::fail), row(2, VantageState::fail)};
    case SideMix::unknown: return {row(1, VantageState::unknown)};
    case SideMix::mixed: return {row(1, VantageState::pass), row(2, VantageState::fail)};
    case SideMix::pass_and_unknown: return {row(1, VantageState::pass), row(2, VantageState::unknown)};
    case SideMix::fail_and_unknown: return {row(1, VantageState::fail), row(2, VantageState::unknown)};
  }
  return {};
}

// The hint a side mix gives: "pass" and "fail" when every known vantage of the side agrees.
std::string side_verdict(SideMix mix) {
  switch (mix) {
    case SideMix::pass:
    case SideMix::pass_and_unknown: return "pass";
    case SideMix::fail:
    case SideMix::fail_and_unknown: return "fail";
    default: return "";
  }
}

}  // namespace

TEST_CASE("vantage hint: inside passing and outside failing names the edge; the reverse names internal routing") {
  const std::optional<pw::Hint> edge =
      pw::vantage_hint({hint_row("office", VantageNetwork::inside, VantageState::pass),
                        hint_row("gh-eu", VantageNetwork::outside, VantageState::fail)});
  REQUIRE(edge.has_value());
  CHECK(edge->id == "vantage-edge");
  CHECK(edge->title == "reachable from inside the network, not from outside");
  CHECK(edge->detail ==
        "The service answers the vantages inside the private network but fails from every vantage outside it: look "
        "at the edge, DNS, firewall or CDN in front of it.");
  CHECK(edge->evidence == "inside: office passes. outside: gh-eu fails (status 503)");

  const std::optional<pw::Hint> internal =
      pw::vantage_hint({hint_row("office", VantageNetwork::inside, VantageState::fail),
                        hint_row("gh-eu", VantageNetwork::outside, VantageState::pass)});
  REQUIRE(internal.has_value());
  CHECK(internal->id == "vantage-internal");
  CHECK(internal->title == "reachable from outside the network, not from inside");
  CHECK(internal->detail ==
        "The service answers from outside but fails from every vantage inside the private network: look at "
        "internal DNS or routing.");
}

TEST_CASE("vantage hint: every mix of inside and outside results, with unknown and missing vantages") {
  const SideMix mixes[] = {SideMix::none,
                           SideMix::pass,
                           SideMix::fail,
                           SideMix::unknown,
                           SideMix::mixed,
                           SideMix::pass_and_unknown,
                           SideMix::fail_and_unknown};
  int cases = 0;
  for (const SideMix inside : mixes) {
    for (const SideMix outside : mixes) {
      std::vector<pw::VantageRow> rows = side_rows(inside, VantageNetwork::inside, "in");
      const auto out_rows = side_rows(outside, VantageNetwork::outside, "out");
      rows.insert(rows.end(), out_rows.begin(), out_rows.end());
      const std::string in_verdict = side_verdict(inside);
      const std::string out_verdict = side_verdict(outside);
      const std::string expected = in_verdict == "pass" && out_verdict == "fail"   ? "vantage-edge"
                                   : in_verdict == "fail" && out_verdict == "pass" ? "vantage-internal"
                                                                                   : "";
      INFO("inside " << static_cast<int>(inside) << ", outside " << static_cast<int>(outside));
      CHECK(hint_id(rows) == expected);
      ++cases;
    }
  }
  CHECK(cases == 49);
}

TEST_CASE("vantage hint: vantages without a network and unknown ones are left out of the evidence") {
  const std::vector<pw::VantageRow> rows{hint_row("office", VantageNetwork::inside, VantageState::pass),
                                         hint_row("laptop", VantageNetwork::unspecified, VantageState::fail),
                                         hint_row("gh-us", VantageNetwork::outside, VantageState::unknown),
                                         hint_row("gh-eu", VantageNetwork::outside, VantageState::fail)};
  const std::optional<pw::Hint> hint = pw::vantage_hint(rows);
  REQUIRE(hint.has_value());
  CHECK(hint->evidence == "inside: office passes. outside: gh-eu fails (status 503)");
  // Without networks there is nothing to compare.
  CHECK(hint_id({hint_row("a", VantageNetwork::unspecified, VantageState::pass),
                 hint_row("b", VantageNetwork::unspecified, VantageState::fail)}) == "");
}
