#include <bot/import/import_support.hpp>

#include <bot/config/load.hpp>

#include <fmt/format.h>

#include <set>

namespace pw::import_detail {

const YamlNode* get(const YamlNode& node, std::string_view key) {
  if (!node.is_map()) {
    return nullptr;
  }
  for (const auto& [name, value] : node.entries) {
    if (name.is_scalar() && name.scalar == key) {
      return &value;
    }
  }
  return nullptr;
}

std::string shown(const YamlNode& node) {
  switch (node.kind) {
    case YamlNode::Kind::null: return "null";
    case YamlNode::Kind::scalar: return node.scalar;
    case YamlNode::Kind::sequence: {
      std::string out = "[";
      for (std::size_t i = 0; i < node.items.size(); ++i) {
        out += (i > 0 ? ", " : "") + shown(node.items[i]);
      }
      return out + "]";
    }
    case YamlNode::Kind::map: {
      std::string out = "{";
      for (std::size_t i = 0; i < node.entries.size(); ++i) {
        out += fmt::format("{}{}: {}", i > 0 ? ", " : " ", shown(node.entries[i].first), shown(node.entries[i].second));
      }
      return out + " }";
    }
  }
  return "";
}

std::optional<std::string> scalar(const YamlNode& node) {
  return node.is_scalar() ? std::optional(node.scalar) : std::nullopt;
}

std::optional<long long> whole_number(const YamlNode& node) {
  if (!node.is_scalar() || node.scalar.empty() || node.scalar.size() > 15) {
    return std::nullopt;
  }
  long long value = 0;
  for (const char c : node.scalar) {
    if (c < '0' || c > '9') {
      return std::nullopt;
    }
    value = value * 10 + (c - '0');
  }
  return value;
}

std::string regex_escape(std::string_view text) {
  static constexpr std::string_view k_special = "\\^$.|?*+()[]{}/";
  std::string out;
  for (const char c : text) {
    if (k_special.find(c) != std::string_view::npos) {
      out += '\\';
    }
    out += c;
  }
  return out;
}

void assign_unique_ids(ImportedConfig& config) {
  std::set<std::string> taken;
  for (const ImportedCheck& check : config.checks) {
    if (!check.skipped && !check.id.empty()) {
      taken.insert(check.id);
    }
  }
  std::size_t index = 0;
  for (ImportedCheck& check : config.checks) {
    ++index;
    if (check.skipped || !check.id.empty()) {
      continue;
    }
    std::string base = slugify(check.name);
    if (base.empty()) {
      base = fmt::format("check-{}", index);
    }
    if (taken.insert(base).second) {
      if (base != slugify(check.name)) {
        check.id = base;
      }
      continue;
    }
    for (int n = 2;; ++n) {
      const std::string candidate = fmt::format("{}-{}", base, n);
      if (taken.insert(candidate).second) {
        check.id = candidate;
        break;
      }
    }
  }
}

}  // namespace pw::import_detail
