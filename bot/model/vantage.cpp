#include <bot/model/vantage.hpp>

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

}  // namespace pw
