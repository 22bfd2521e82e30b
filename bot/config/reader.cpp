#include <bot/config/reader.hpp>

#include <bot/config/substitute.hpp>
#include <bot/core/json_pointer.hpp>
#include <bot/core/text.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <charconv>

namespace pw {

namespace {

constexpr std::size_t k_max_errors = 50;
// A config value quoted in an error shows at most this many bytes.
constexpr std::size_t k_config_quote_bytes = 80;

bool parse_whole_number(std::string_view text, long long& out) {
  if (text.empty()) {
    return false;
  }
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && end == text.data() + text.size();
}

std::optional<int> parse_status(std::string_view text) {
  long long value = 0;
  if (text.size() != 3 || !parse_whole_number(text, value) || value < 100 || value > 599) {
    return std::nullopt;
  }
  return static_cast<int>(value);
}

}  // namespace

void ConfigReader::error(const SourceLocation& at, const std::string& message) {
  std::string line = fmt::format("{}:{}:{}: {}", at.file, at.line, at.column, message);
  if (std::find(m_errors.begin(), m_errors.end(), line) != m_errors.end()) {
    return;  // a bad default is read once per check; report it once
  }
  if (m_errors.size() == k_max_errors) {
    m_errors.push_back(fmt::format("{}: too many errors; fix these first", at.file));
  }
  if (m_errors.size() <= k_max_errors) {
    m_errors.push_back(std::move(line));
  }
}

void ConfigReader::error(const YamlNode& at, const std::string& message) { error(at.location, message); }

void ConfigReader::refer_to_file(FileReference file) {
  const bool known = std::any_of(m_files.begin(), m_files.end(), [&](const FileReference& other) {
    return other.location.line == file.location.line && other.location.column == file.location.column;
  });
  if (!known) {
    m_files.push_back(std::move(file));
  }
}

std::string ConfigReader::shown(std::string_view value, std::size_t max_bytes) const {
  return sanitize_utf8(utf8_prefix(m_secrets.apply(value), max_bytes));
}

void ConfigReader::check_keys(const YamlNode& node, Section section) {
  std::vector<std::string_view> seen;
  for (const auto& [key, value] : node.entries) {
    if (!key.is_scalar()) {
      error(key, fmt::format("keys in {} must be plain names", section_name(section)));
      continue;
    }
    if (std::find(seen.begin(), seen.end(), key.scalar) != seen.end()) {
      error(key, fmt::format("duplicate key {} in {}", quote(key.scalar, k_config_quote_bytes), section_name(section)));
      continue;
    }
    seen.push_back(key.scalar);
    if (find_key(section, key.scalar) != nullptr) {
      continue;
    }
    if (section == Section::top && key.scalar.starts_with("x-")) {
      continue;  // an extension key, a place for anchors (`x-defaults: &defaults`), as Compose files have
    }
    const std::string_view suggestion = suggest_key(section, key.scalar);
    if (!suggestion.empty()) {
      error(key, fmt::format("unknown key {} in {}; did you mean \"{}\"?", quote(key.scalar, k_config_quote_bytes),
                             section_name(section), suggestion));
    } else {
      std::string known;
      for (const KeyInfo& info : keys_of(section)) {
        known += known.empty() ? "" : ", ";
        known += info.name;
      }
      error(key, fmt::format("unknown key {} in {}; expected one of: {}", quote(key.scalar, k_config_quote_bytes),
                             section_name(section), known));
    }
  }
}

const YamlNode* ConfigReader::get(const YamlNode& node, std::string_view key) {
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

std::optional<std::string> ConfigReader::scalar_text(const YamlNode& node, std::string_view key,
                                                     std::string_view kind) {
  if (!node.is_scalar()) {
    error(node, fmt::format("\"{}\" must be {}, not {}", key, kind,
                            node.is_map()        ? "a map"
                            : node.is_sequence() ? "a list"
                                                 : "empty"));
    return std::nullopt;
  }
  auto substituted = substitute_environment(node.scalar, m_env, m_secrets, m_brackets, m_publics);
  if (!substituted) {
    error(node, fmt::format("in \"{}\": {}", key, substituted.error().message));
    return std::nullopt;
  }
  return std::move(*substituted);
}

std::optional<std::string> ConfigReader::string(const YamlNode& node, std::string_view key) {
  return scalar_text(node, key, "text");
}

std::optional<long long> ConfigReader::integer(const YamlNode& node, const KeyInfo& key) {
  auto text = scalar_text(node, key.name, "a whole number");
  if (!text) {
    return std::nullopt;
  }
  long long value = 0;
  if (!parse_whole_number(trim(*text), value)) {
    error(node,
          fmt::format("\"{}\" must be a whole number, not {}", key.name, quote(shown(*text), k_config_quote_bytes)));
    return std::nullopt;
  }
  if (value < key.minimum || (key.maximum != 0 && value > key.maximum)) {
    error(node, key.maximum != 0
                    ? fmt::format("\"{}\" must be between {} and {}, not {}", key.name, key.minimum, key.maximum, value)
                    : fmt::format("\"{}\" must be at least {}, not {}", key.name, key.minimum, value));
    return std::nullopt;
  }
  return value;
}

std::optional<bool> ConfigReader::boolean(const YamlNode& node, std::string_view key) {
  auto text = scalar_text(node, key, "true or false");
  if (!text) {
    return std::nullopt;
  }
  const std::string lowered = to_lower(trim(*text));
  if (lowered == "true" || lowered == "yes" || lowered == "on") {
    return true;
  }
  if (lowered == "false" || lowered == "no" || lowered == "off") {
    return false;
  }
  error(node, fmt::format("\"{}\" must be true or false, not {}", key, quote(shown(*text), k_config_quote_bytes)));
  return std::nullopt;
}

std::optional<Millis> ConfigReader::duration(const YamlNode& node, std::string_view key) {
  auto text = scalar_text(node, key, "a duration such as 10s");
  if (!text) {
    return std::nullopt;
  }
  auto parsed = parse_duration(trim(*text));
  if (!parsed) {
    error(node, fmt::format("\"{}\": {}", key, parsed.error().message));
    return std::nullopt;
  }
  return *parsed;
}

std::optional<std::size_t> ConfigReader::size(const YamlNode& node, std::string_view key) {
  auto text = scalar_text(node, key, "a size such as 1MiB");
  if (!text) {
    return std::nullopt;
  }
  const std::string_view value = trim(*text);
  std::size_t digits = 0;
  while (digits < value.size() && value[digits] >= '0' && value[digits] <= '9') {
    ++digits;
  }
  long long number = 0;
  const std::string unit = to_lower(trim(value.substr(digits)));
  long long scale = 0;
  if (unit.empty() || unit == "b") {
    scale = 1;
  } else if (unit == "kib" || unit == "kb" || unit == "k") {
    scale = 1024;
  } else if (unit == "mib" || unit == "mb" || unit == "m") {
    scale = 1024 * 1024;
  }
  if (digits == 0 || scale == 0 || !parse_whole_number(value.substr(0, digits), number) ||
      number > (1LL << 40) / scale) {
    error(node, fmt::format("\"{}\" must be a size such as 65536, 512KiB or 1MiB, not {}", key,
                            quote(shown(value), k_config_quote_bytes)));
    return std::nullopt;
  }
  const long long bytes = number * scale;
  if (bytes < 1 || bytes > 256LL * 1024 * 1024) {
    error(node, fmt::format("\"{}\" must be between 1 byte and 256MiB, not {}", key,
                            quote(shown(value), k_config_quote_bytes)));
    return std::nullopt;
  }
  return static_cast<std::size_t>(bytes);
}

std::optional<std::vector<std::string>> ConfigReader::string_list(const YamlNode& node, std::string_view key) {
  std::vector<std::string> out;
  if (node.is_null()) {
    return out;
  }
  if (node.is_scalar()) {
    auto text = string(node, key);
    if (!text) {
      return std::nullopt;
    }
    out.push_back(std::move(*text));
    return out;
  }
  if (!node.is_sequence()) {
    error(node, fmt::format("\"{}\" must be a list of names, not a map", key));
    return std::nullopt;
  }
  bool ok = true;
  for (const YamlNode& item : node.items) {
    auto text = scalar_text(item, key, "a list of names");
    if (!text) {
      ok = false;
    } else if (trim(*text).empty()) {
      error(item, fmt::format("\"{}\" has an empty entry", key));
      ok = false;
    } else {
      out.emplace_back(trim(*text));
    }
  }
  return ok ? std::optional(std::move(out)) : std::nullopt;
}

std::optional<std::vector<StatusRange>> ConfigReader::status_list(const YamlNode& node) {
  std::vector<const YamlNode*> items;
  if (node.is_sequence()) {
    for (const YamlNode& item : node.items) {
      items.push_back(&item);
    }
  } else {
    items.push_back(&node);
  }
  if (items.empty()) {
    error(node, "\"status\" needs at least one code or range, such as 200 or \"200-299\"");
    return std::nullopt;
  }
  std::vector<StatusRange> out;
  bool ok = true;
  for (const YamlNode* item : items) {
    auto text = scalar_text(*item, "status", "a status code or range");
    if (!text) {
      ok = false;
      continue;
    }
    const std::string_view value = trim(*text);
    const std::size_t dash = value.find('-');
    const auto low = parse_status(value.substr(0, dash));
    const auto high = dash == std::string_view::npos ? low : parse_status(value.substr(dash + 1));
    if (!low || !high || *low > *high) {
      error(*item, fmt::format("\"status\" entries are codes or ranges from 100 to 599 such as 200 or "
                               "\"200-299\", not {}",
                               quote(shown(value), k_config_quote_bytes)));
      ok = false;
      continue;
    }
    out.push_back({*low, *high});
  }
  return ok ? std::optional(std::move(out)) : std::nullopt;
}

std::optional<std::vector<std::pair<std::string, std::string>>> ConfigReader::string_map(const YamlNode& node,
                                                                                         std::string_view key) {
  std::vector<std::pair<std::string, std::string>> out;
  if (node.is_null()) {
    return out;
  }
  if (!node.is_map()) {
    error(node, fmt::format("\"{}\" must be a map of names to values", key));
    return std::nullopt;
  }
  bool ok = true;
  for (const auto& [name, value] : node.entries) {
    if (!name.is_scalar() || name.scalar.empty()) {
      error(name, fmt::format("\"{}\" keys must be non-empty names", key));
      ok = false;
      continue;
    }
    auto text = scalar_text(value, name.scalar, "text");
    if (!text) {
      ok = false;
      continue;
    }
    out.emplace_back(name.scalar, std::move(*text));
  }
  return ok ? std::optional(std::move(out)) : std::nullopt;
}

std::optional<Regex> ConfigReader::regex(const YamlNode& node, std::string_view key) {
  auto text = scalar_text(node, key, "a regular expression");
  if (!text) {
    return std::nullopt;
  }
  auto compiled = Regex::compile(*text);
  if (!compiled) {
    error(node, fmt::format("\"{}\": {}", key, compiled.error().message));
    return std::nullopt;
  }
  return std::move(*compiled);
}

}  // namespace pw
