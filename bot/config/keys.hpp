#pragma once

#include <span>
#include <string>
#include <string_view>

namespace pw {

// The kinds of value a config key takes; drives both validation and `probewatch schema`.
enum class ValueType {
  integer,
  boolean,
  string,
  url,
  duration,     // "250ms", "10s", "5m"
  size,         // 1048576, "512KiB", "1MiB"
  status_list,  // 200, "200-299", or a list of them
  string_list,
  string_map,   // header name -> value
  regex_map,    // header name -> regex
  json_map,     // JSON Pointer -> scalar
  expect,       // an expect block
  wait_for,     // true, or { timeout, interval }
  defaults,     // the defaults block
  issues,       // the issues block
  checks,       // the list of checks
  maintenance,  // the list of maintenance windows
  timestamp,    // ISO 8601 with Z or an offset
  vantages,     // the list of vantage points
};

struct KeyInfo {
  std::string_view name;
  ValueType type;
  std::string_view description;
  std::string_view default_value;  // as written in YAML; empty when none
  long long minimum = 0;           // for integers
  long long maximum = 0;           // 0 when unbounded
};

enum class Section { top, defaults, check, issues, expect, wait_for, maintenance, vantage };

// The keys allowed in `section`, in documentation order.
std::span<const KeyInfo> keys_of(Section section);

// Returns the key of `section` named `name`, or nullptr.
const KeyInfo* find_key(Section section, std::string_view name);

// Returns the closest known key of `section` to `name` when it is close enough to be a typo.
std::string_view suggest_key(Section section, std::string_view name);

// Returns the name people see for a section: "the top level", "defaults", "a check", ...
std::string_view section_name(Section section);

}  // namespace pw
