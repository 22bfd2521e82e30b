#pragma once

#include <bot/config/yaml_tree.hpp>
#include <bot/import/imported_config.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace pw::import_detail {

// Returns the value of `key` in map `node`, or nullptr. Internal to the importers.
const YamlNode* get(const YamlNode& node, std::string_view key);

// Returns a node as short text for a note: a scalar as written, a list or map in flow style.
std::string shown(const YamlNode& node);

// Returns a scalar's text, or nullopt for maps, lists and null.
std::optional<std::string> scalar(const YamlNode& node);

// Returns a non-negative whole number written as a plain scalar, or nullopt.
std::optional<long long> whole_number(const YamlNode& node);

// Returns `text` escaped for use inside a regular expression.
std::string regex_escape(std::string_view text);

// Gives every check an id the loader accepts and no other check has: a check whose derived id
// collides gets `prefix` (its group, or nothing) and then a number.
void assign_unique_ids(ImportedConfig& config);

}  // namespace pw::import_detail
