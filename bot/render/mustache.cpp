#include <bot/render/mustache.hpp>

#include <bot/render/mustache_parse.hpp>

#include <nlohmann/json.hpp>

#include <charconv>
#include <cmath>
#include <cstdint>
#include <iterator>
#include <string>
#include <utility>
#include <vector>

namespace pw {

namespace {

using mustache::Node;
using mustache::NodeKind;
using Json = nlohmann::json;

// Sections and partials together may not nest deeper than this while rendering.
constexpr std::size_t k_max_nesting = 256;
// Each node rendered and each list item counts as a step.
constexpr std::size_t k_max_steps = 1'000'000;

bool is_truthy(const Json* value) {
  if (value == nullptr) {
    return false;
  }
  switch (value->type()) {
    case Json::value_t::null:
    case Json::value_t::discarded: return false;
    case Json::value_t::boolean: return value->get<bool>();
    case Json::value_t::number_integer: return value->get<std::int64_t>() != 0;
    case Json::value_t::number_unsigned: return value->get<std::uint64_t>() != 0;
    case Json::value_t::number_float: {
      const auto number = value->get<double>();
      return number != 0.0 && !std::isnan(number);
    }
    case Json::value_t::string: return !value->get_ref<const std::string&>().empty();
    case Json::value_t::array: return !value->empty();
    case Json::value_t::object:
    case Json::value_t::binary: return true;
  }
  return true;
}

// Plain notation between 1e-6 and 1e21, as JavaScript writes numbers; the shortest text that
// reads back as the same double.
std::string format_double(double number) {
  if (number == 0.0) {
    return "0";
  }
  const auto magnitude = std::fabs(number);
  const auto format = magnitude >= 1e-6 && magnitude < 1e21 ? std::chars_format::fixed : std::chars_format::scientific;
  char buffer[64];
  const auto [end, error] = std::to_chars(std::begin(buffer), std::end(buffer), number, format);
  if (error != std::errc{}) {
    return {};
  }
  return std::string(std::begin(buffer), end);
}

// The text of a non-string value: numbers as written in JSON, objects and arrays as compact JSON.
std::string value_text(const Json& value) {
  switch (value.type()) {
    case Json::value_t::null:
    case Json::value_t::discarded: return {};
    case Json::value_t::boolean: return value.get<bool>() ? "true" : "false";
    case Json::value_t::number_integer: return std::to_string(value.get<std::int64_t>());
    case Json::value_t::number_unsigned: return std::to_string(value.get<std::uint64_t>());
    case Json::value_t::number_float: return format_double(value.get<double>());
    case Json::value_t::string: return value.get<std::string>();
    case Json::value_t::object:
    case Json::value_t::array:
    case Json::value_t::binary: break;
  }
  return value.dump(-1, ' ', false, Json::error_handler_t::replace);
}

void append_escaped(std::string& out, std::string_view text) {
  for (const char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '"': out += "&quot;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      default: out += c; break;
    }
  }
}

class Renderer {
 public:
  Renderer(const Json& context, const Partials& partials) : m_partials(partials) { m_context.push_back(&context); }

  Expected<std::string> run(std::string_view source) {
    const auto nodes = mustache::parse(source, "template");
    if (!nodes) {
      return std::unexpected(nodes.error());
    }
    if (auto rendered = render(*nodes); !rendered) {
      return std::unexpected(rendered.error());
    }
    return std::move(m_out);
  }

 private:
  Expected<void> render(const std::vector<Node>& nodes) {
    for (const auto& node : nodes) {
      if (++m_steps > k_max_steps) {
        return too_many_steps();
      }
      Expected<void> done;
      switch (node.kind) {
        case NodeKind::text: done = emit(node.text); break;
        case NodeKind::indent:
          for (const auto piece : m_indent) {
            if (done = emit(piece); !done) {
              break;
            }
          }
          break;
        case NodeKind::escaped:
        case NodeKind::unescaped:
          if (const auto* value = lookup(node.text); value != nullptr) {
            done = emit_value(*value, node.kind == NodeKind::escaped);
          }
          break;
        case NodeKind::section:
        case NodeKind::inverted: done = render_section(node); break;
        case NodeKind::partial: done = render_partial(node); break;
      }
      if (!done) {
        return done;
      }
    }
    return {};
  }

  Expected<void> render_section(const Node& node) {
    const auto* value = lookup(node.text);
    const bool truthy = is_truthy(value);
    if (node.kind == NodeKind::inverted) {
      return truthy ? Expected<void>{} : render_nested(node.children);
    }
    if (!truthy) {
      return {};
    }
    if (!value->is_array()) {
      return render_with(*value, node.children);
    }
    for (const auto& item : *value) {
      if (++m_steps > k_max_steps) {
        return too_many_steps();
      }
      if (auto done = render_with(item, node.children); !done) {
        return done;
      }
    }
    return {};
  }

  Expected<void> render_with(const Json& value, const std::vector<Node>& nodes) {
    m_context.push_back(&value);
    auto done = render_nested(nodes);
    m_context.pop_back();
    return done;
  }

  Expected<void> render_nested(const std::vector<Node>& nodes) {
    if (m_nesting >= k_max_nesting) {
      return fail("template: sections and partials nested deeper than " + std::to_string(k_max_nesting) + " levels");
    }
    ++m_nesting;
    auto done = render(nodes);
    --m_nesting;
    return done;
  }

  // A standalone partial indents each of its lines as its tag was indented; an inline one does not.
  Expected<void> render_partial(const Node& node) {
    const auto nodes = partial_nodes(node.text);
    if (!nodes) {
      return std::unexpected(nodes.error());
    }
    if (*nodes == nullptr) {
      return {};
    }
    if (m_partial_depth >= k_mustache_max_partial_depth) {
      return fail("template: partials nested deeper than " + std::to_string(k_mustache_max_partial_depth) +
                  " levels (a partial includes itself?)");
    }
    std::vector<std::string_view> outer_indent;
    if (node.standalone) {
      m_indent.push_back(node.indent);
    } else {
      std::swap(outer_indent, m_indent);
    }
    ++m_partial_depth;
    auto done = render_nested(**nodes);
    --m_partial_depth;
    if (node.standalone) {
      m_indent.pop_back();
    } else {
      std::swap(outer_indent, m_indent);
    }
    return done;
  }

  // Returns the parsed partial, parsing it on first use, or nullptr when there is none by that name.
  Expected<const std::vector<Node>*> partial_nodes(std::string_view name) {
    const auto source = m_partials.find(name);
    if (source == m_partials.end()) {
      return nullptr;
    }
    if (const auto parsed = m_parsed.find(name); parsed != m_parsed.end()) {
      return &parsed->second;
    }
    auto parsed = mustache::parse(source->second, "partial \"" + source->first + "\"");
    if (!parsed) {
      return std::unexpected(parsed.error());
    }
    return &m_parsed.emplace(source->first, std::move(*parsed)).first->second;
  }

  // "." is the current context; "a.b.c" finds "a" in the innermost context that has it, then
  // looks for "b" and "c" in that value only.
  const Json* lookup(std::string_view name) const {
    if (name == ".") {
      return m_context.back();
    }
    auto dot = name.find('.');
    const auto head = name.substr(0, dot);
    const Json* value = nullptr;
    for (auto frame = m_context.rbegin(); frame != m_context.rend() && value == nullptr; ++frame) {
      if ((*frame)->is_object()) {
        if (const auto found = (*frame)->find(head); found != (*frame)->end()) {
          value = &*found;
        }
      }
    }
    while (value != nullptr && dot != std::string_view::npos) {
      const auto next = name.find('.', dot + 1);
      const auto part = name.substr(dot + 1, next == std::string_view::npos ? std::string_view::npos : next - dot - 1);
      if (!value->is_object()) {
        return nullptr;
      }
      const auto found = value->find(part);
      value = found == value->end() ? nullptr : &*found;
      dot = next;
    }
    return value;
  }

  Expected<void> emit_value(const Json& value, bool escape) {
    if (value.is_string()) {
      return emit(value.get_ref<const std::string&>(), escape);
    }
    return emit(value_text(value), escape);
  }

  Expected<void> emit(std::string_view text, bool escape = false) {
    if (escape) {
      append_escaped(m_out, text);
    } else {
      m_out += text;
    }
    if (m_out.size() > k_mustache_max_output_bytes) {
      return fail("template: output exceeds " + std::to_string(k_mustache_max_output_bytes / (1024 * 1024)) +
                  " MiB; a section or partial repeats too often");
    }
    return {};
  }

  static std::unexpected<Error> too_many_steps() {
    return fail("template: rendering stopped after " + std::to_string(k_max_steps) +
                " steps; a section or partial repeats too often");
  }

  const Partials& m_partials;
  std::map<std::string_view, std::vector<Node>, std::less<>> m_parsed;  // keys view into m_partials
  std::vector<const Json*> m_context;                                   // innermost last
  std::vector<std::string_view> m_indent;                               // pieces, outermost first
  std::size_t m_partial_depth = 0;
  std::size_t m_nesting = 0;
  std::size_t m_steps = 0;
  std::string m_out;
};

}  // namespace

Expected<std::string> render_mustache(std::string_view source, const nlohmann::json& context,
                                      const Partials& partials) {
  return Renderer(context, partials).run(source);
}

Expected<void> check_mustache(std::string_view source) {
  if (auto parsed = mustache::parse(source, "template"); !parsed) {
    return std::unexpected(parsed.error());
  }
  return {};
}

}  // namespace pw
