#include <bot/config/reader.hpp>

#include <bot/core/text.hpp>

#include <base/iso8601.hpp>

#include <fmt/format.h>

#include <algorithm>

namespace pw {

namespace {

constexpr Millis k_longest_recurring{Millis(7LL * 24 * 3600 * 1000)};

std::optional<TimePoint> read_time(ConfigReader& reader, const YamlNode& node, std::string_view key) {
  auto text = reader.string(node, key);
  if (!text) {
    return std::nullopt;
  }
  auto parsed = base::parse_iso8601(trim(*text));
  if (!parsed) {
    reader.error(node, fmt::format("\"{}\" must be an ISO 8601 time with Z or an offset, as in "
                                   "2026-12-01T02:00:00Z, not \"{}\"",
                                   key, reader.shown(*text)));
  }
  return parsed;
}

void read_window(ConfigReader& reader, const YamlNode& node, std::size_t index, Config& config) {
  if (!node.is_map()) {
    reader.error(node, fmt::format("maintenance[{}] must be a map with a name and either start and end or cron and "
                                   "duration",
                                   index));
    return;
  }
  reader.check_keys(node, Section::maintenance);
  MaintenanceWindow window;
  window.location = node.location;
  if (const YamlNode* value = ConfigReader::get(node, "name")) {
    window.name = std::string(trim(reader.string(*value, "name").value_or("")));
  }
  if (window.name.empty()) {
    reader.error(node, fmt::format("maintenance[{}] needs a name, shown on the dashboard", index));
    return;
  }
  const std::string label = fmt::format("maintenance window \"{}\"", reader.shown(window.name));
  if (const YamlNode* value = ConfigReader::get(node, "checks")) {
    auto checks = reader.string_list(*value, "checks");
    for (const std::string& id : checks.value_or(std::vector<std::string>{})) {
      const bool known =
          std::any_of(config.checks.begin(), config.checks.end(), [&](const Check& check) { return check.id == id; });
      if (!known) {
        reader.error(*value, fmt::format("{} names check \"{}\", which is not in checks; use a check's id", label,
                                         reader.shown(id)));
      }
    }
    window.checks = checks.value_or(std::vector<std::string>{});
    if (checks && checks->empty()) {
      reader.error(*value, fmt::format("{} has an empty checks list; omit \"checks\" to cover every check", label));
    }
  }
  const YamlNode* start = ConfigReader::get(node, "start");
  const YamlNode* end = ConfigReader::get(node, "end");
  const YamlNode* cron = ConfigReader::get(node, "cron");
  const YamlNode* duration = ConfigReader::get(node, "duration");
  const YamlNode* timezone = ConfigReader::get(node, "timezone");
  const bool one_off = start != nullptr || end != nullptr;
  const bool recurring = cron != nullptr || duration != nullptr;
  if (one_off && recurring) {
    reader.error(node, fmt::format("{} sets both start/end and cron/duration; a window is one-off (start, end) or "
                                   "recurring (cron, duration)",
                                   label));
    return;
  }
  if (!one_off && !recurring) {
    reader.error(node, fmt::format("{} needs start and end (one-off) or cron and duration (recurring)", label));
    return;
  }
  if (one_off) {
    if (start == nullptr || end == nullptr) {
      reader.error(node, fmt::format("{} has {} but no {}", label, start != nullptr ? "start" : "end",
                                     start != nullptr ? "end" : "start"));
      return;
    }
    if (timezone != nullptr) {
      reader.error(*timezone, fmt::format("{}: \"timezone\" applies to cron windows; start and end carry their own "
                                          "offset (Z or +01:00)",
                                          label));
    }
    const auto from = read_time(reader, *start, "start");
    const auto to = read_time(reader, *end, "end");
    if (from && to && *to <= *from) {
      reader.error(*end, fmt::format("{} ends before it starts", label));
    }
    if (from && to) {
      window.fixed = TimeSpan{*from, *to};
    }
  } else {
    if (cron == nullptr || duration == nullptr) {
      reader.error(node, fmt::format("{} has {} but no {}", label, cron != nullptr ? "cron" : "duration",
                                     cron != nullptr ? "duration" : "cron"));
      return;
    }
    if (auto text = reader.string(*cron, "cron")) {
      if (auto parsed = parse_cron(*text)) {
        window.cron = *parsed;
        window.cron_text = std::string(trim(*text));
      } else {
        reader.error(*cron, fmt::format("\"cron\": {}", reader.shown(parsed.error().message, 200)));
      }
    }
    if (auto length = reader.duration(*duration, "duration")) {
      if (*length <= Millis::zero() || *length > k_longest_recurring) {
        reader.error(*duration, fmt::format("{} lasts {}; a recurring window lasts more than 0s and at most 7d", label,
                                            format_duration(*length)));
      }
      window.duration = *length;
    }
    if (timezone != nullptr) {
      window.timezone_location = timezone->location;
      const std::string name(trim(reader.string(*timezone, "timezone").value_or("")));
      if (!valid_time_zone_name(name)) {
        reader.error(*timezone, fmt::format("\"timezone\" \"{}\" is not a tz database name such as Europe/Berlin or "
                                            "UTC",
                                            reader.shown(name)));
      } else {
        window.timezone = name;
      }
    }
  }
  config.maintenance.push_back(std::move(window));
}

}  // namespace

void read_maintenance(ConfigReader& reader, const YamlNode& node, Config& config) {
  if (node.is_null()) {
    return;
  }
  if (!node.is_sequence()) {
    reader.error(node, "\"maintenance\" must be a list of windows, each starting with \"- name:\"");
    return;
  }
  for (std::size_t i = 0; i < node.items.size(); ++i) {
    read_window(reader, node.items[i], i, config);
  }
}

}  // namespace pw
