#pragma once

#include <bot/core/error.hpp>

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

// The Mustache parser, shared by the renderer and its tests; not part of the public API.
namespace pw::mustache {

// Sections may not nest deeper than this within one template.
inline constexpr std::size_t k_max_section_depth = 100;

enum class NodeKind {
  text,       // literal text, copied as is
  indent,     // the start of a template line: where a standalone partial's indentation goes
  escaped,    // {{name}}
  unescaped,  // {{{name}}} and {{&name}}
  section,    // {{#name}}...{{/name}}
  inverted,   // {{^name}}...{{/name}}
  partial,    // {{>name}}
};

struct Node {
  NodeKind kind = NodeKind::text;
  std::string_view text;    // the literal text, or the tag's trimmed name
  std::string_view indent;  // a standalone partial's leading whitespace
  bool standalone = false;  // a partial alone on its line, whose lines get indented
  std::size_t offset = 0;   // where the tag starts in the source
  std::vector<Node> children;
};

// Returns the nodes of `source`, viewing into it. Fails on a malformed template with
// "<origin> line L, column C: <what is wrong>".
Expected<std::vector<Node>> parse(std::string_view source, std::string_view origin);

// Returns "<origin> line L, column C: <what>" for the byte `offset` of `source`.
std::string located_message(std::string_view source, std::string_view origin, std::size_t offset,
                            std::string_view what);

}  // namespace pw::mustache
