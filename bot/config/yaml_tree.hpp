#pragma once

#include <bot/config/config.hpp>
#include <bot/core/error.hpp>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace pw {

// A YAML document as plain values with positions, so yaml-cpp stops at this adapter.
struct YamlNode {
  enum class Kind { null, scalar, sequence, map };
  Kind kind = Kind::null;
  std::string scalar;
  bool plain = false;           // an unquoted scalar: 42 and true are numbers and booleans only when plain
  std::vector<YamlNode> items;  // sequence
  std::vector<std::pair<YamlNode, YamlNode>> entries;  // map, in document order
  SourceLocation location;

  // Declared here and defaulted below the class: clang 14 (the fuzz build) otherwise instantiates
  // std::pair<YamlNode, YamlNode> while YamlNode is still incomplete.
  YamlNode();

  bool is_map() const { return kind == Kind::map; }
  bool is_sequence() const { return kind == Kind::sequence; }
  bool is_scalar() const { return kind == Kind::scalar; }
  bool is_null() const { return kind == Kind::null; }
};

inline YamlNode::YamlNode() = default;

// Parses YAML text into a tree. Fails with "file:line:col: ..." on a syntax error, on more
// than one document, or when aliases expand past a size limit (a "billion laughs" file).
Expected<YamlNode> parse_yaml(std::string_view text, const std::string& file);

}  // namespace pw
