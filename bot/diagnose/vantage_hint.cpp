#include <bot/diagnose/vantage_hint.hpp>

#include <fmt/format.h>

#include <string>

namespace pw {

namespace {

struct Side {
  int passing = 0;
  int failing = 0;
  std::string seen;  // "office passes; lab passes"

  void add(const VantageRow& row) {
    const bool ok = row.state == VantageState::pass;
    ++(ok ? passing : failing);
    seen += seen.empty() ? "" : "; ";
    seen += ok ? fmt::format("{} passes", row.name) : fmt::format("{} fails ({})", row.name, row.reason);
  }
  bool all_pass() const { return passing > 0 && failing == 0; }
  bool all_fail() const { return failing > 0 && passing == 0; }
};

}  // namespace

std::optional<Hint> vantage_hint(const std::vector<VantageRow>& rows) {
  Side inside;
  Side outside;
  for (const VantageRow& row : rows) {
    if (row.state == VantageState::unknown || row.network == VantageNetwork::unspecified) {
      continue;
    }
    (row.network == VantageNetwork::inside ? inside : outside).add(row);
  }
  const std::string evidence = fmt::format("inside: {}. outside: {}", inside.seen, outside.seen);
  if (inside.all_pass() && outside.all_fail()) {
    return Hint{"vantage-edge", "reachable from inside the network, not from outside",
                "The service answers the vantages inside the private network but fails from every vantage outside "
                "it: look at the edge, DNS, firewall or CDN in front of it.",
                evidence};
  }
  if (outside.all_pass() && inside.all_fail()) {
    return Hint{"vantage-internal", "reachable from outside the network, not from inside",
                "The service answers from outside but fails from every vantage inside the private network: look at "
                "internal DNS or routing.",
                evidence};
  }
  return std::nullopt;
}

}  // namespace pw
