#include <bot/config/load.hpp>
#include <bot/config/reader.hpp>

#include <bot/core/text.hpp>

#include <fmt/format.h>

#include <algorithm>

namespace pw {

namespace {

// A vantage name becomes part of file names and artifact names: keep it to a safe alphabet.
bool valid_vantage_name(std::string_view name) {
  return !name.empty() && name.size() <= 64 && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
           c == '.';
  });
}

}  // namespace

bool is_vantage_name(std::string_view name) { return valid_vantage_name(name); }

void read_vantages(ConfigReader& reader, const YamlNode& node, Config& config) {
  if (!node.is_sequence()) {
    reader.error(node, "\"vantages\" must be a list, as in [{ name: office, network: inside }]");
    return;
  }
  for (std::size_t i = 0; i < node.items.size(); ++i) {
    const YamlNode& item = node.items[i];
    if (!item.is_map()) {
      reader.error(item, fmt::format("vantages[{}] must be a map with a name and a network (inside or outside)", i));
      continue;
    }
    reader.check_keys(item, Section::vantage);
    VantageDeclaration vantage;
    if (const YamlNode* value = ConfigReader::get(item, "name")) {
      vantage.name = std::string(trim(reader.string(*value, "name").value_or("")));
    }
    if (!valid_vantage_name(vantage.name)) {
      reader.error(item, fmt::format("vantages[{}] needs a name of 1 to 64 letters, digits, '-', '_' or '.', the one "
                                     "its job passes to check --vantage",
                                     i));
      continue;
    }
    if (const YamlNode* value = ConfigReader::get(item, "network")) {
      const std::string text = reader.string(*value, "network").value_or("");
      if (auto network = parse_vantage_network(text)) {
        vantage.network = *network;
      } else {
        reader.error(*value, fmt::format("vantage \"{}\": \"network\" is inside or outside, not \"{}\"", vantage.name,
                                         reader.shown(text)));
      }
    }
    const bool duplicate = std::any_of(config.vantages.begin(), config.vantages.end(),
                                       [&](const VantageDeclaration& known) { return known.name == vantage.name; });
    if (duplicate) {
      reader.error(item, fmt::format("vantage \"{}\" is declared twice; give each vantage its own name", vantage.name));
      continue;
    }
    config.vantages.push_back(std::move(vantage));
  }
}

}  // namespace pw
