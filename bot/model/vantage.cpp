#include <bot/model/vantage.hpp>

#include <fmt/format.h>

namespace pw {

const char* to_string(VantageNetwork network) {
  switch (network) {
    case VantageNetwork::inside: return "inside";
    case VantageNetwork::outside: return "outside";
    case VantageNetwork::unspecified: return "";
  }
  return "";
}

std::optional<VantageNetwork> parse_vantage_network(std::string_view text) {
  if (text == "inside") {
    return VantageNetwork::inside;
  }
  if (text == "outside") {
    return VantageNetwork::outside;
  }
  return std::nullopt;
}

std::string vantage_note(const QuorumVerdict& verdict) {
  if (!verdict.decided) {
    return fmt::format("no verdict: {} of {} vantages failing, {} unknown", verdict.failing, verdict.rows.size(),
                       verdict.unknown);
  }
  if (verdict.failing == 0) {
    return "";
  }
  std::string names;
  for (const VantageRow& row : verdict.rows) {
    if (row.state == VantageState::fail) {
      names += names.empty() ? "" : ", ";
      names += row.name;
    }
  }
  return fmt::format("{} of {} vantages failing: {}", verdict.failing, verdict.rows.size(), names);
}

}  // namespace pw
