#include <bot/render/mustache_parse.hpp>

#include <bot/core/text.hpp>

#include <optional>
#include <string>
#include <utility>

namespace pw::mustache {

namespace {

constexpr std::size_t k_shown_bytes = 40;

bool is_blank(char c) { return c == ' ' || c == '\t'; }

struct Tag {
  char sigil = '\0';       // '#', '^', '/', '!', '>', '&', '{', '=', or '\0' for a plain variable
  std::string_view inner;  // between the sigil and the closing delimiter
  std::size_t start = 0;   // offset of the opening delimiter
  std::size_t end = 0;     // offset just past the closing delimiter
};

// The line of a standalone tag: where it starts and where the next line starts.
struct Line {
  std::size_t start = 0;
  std::size_t next = 0;
  bool ends_with_newline = false;
};

Node make_node(NodeKind kind, std::string_view text, std::size_t offset) {
  Node node;
  node.kind = kind;
  node.text = text;
  node.offset = offset;
  return node;
}

bool may_stand_alone(char sigil) {
  return sigil == '#' || sigil == '^' || sigil == '/' || sigil == '!' || sigil == '>' || sigil == '=';
}

class Parser {
 public:
  Parser(std::string_view source, std::string_view origin) : m_source(source), m_origin(origin) {}

  Expected<std::vector<Node>> run() {
    add_indent(0);
    std::size_t text_start = 0;
    std::size_t pos = 0;
    while (true) {
      const auto start = m_source.find(m_open_delimiter, pos);
      if (start == std::string_view::npos) {
        break;
      }
      auto tag = read_tag(start);
      if (!tag) {
        return std::unexpected(tag.error());
      }
      std::optional<Line> line;
      if (may_stand_alone(tag->sigil)) {
        line = standalone_line(*tag, text_start);
      }
      if (line) {
        add_text(text_start, line->start);
        if (!current().empty() && current().back().kind == NodeKind::indent) {
          current().pop_back();
        }
        const auto indent = m_source.substr(line->start, tag->start - line->start);
        if (auto added = add_tag(*tag, indent, true); !added) {
          return std::unexpected(added.error());
        }
        pos = line->next;
        if (line->ends_with_newline) {
          add_indent(pos);
        }
      } else {
        add_text(text_start, tag->start);
        if (auto added = add_tag(*tag, {}, false); !added) {
          return std::unexpected(added.error());
        }
        pos = tag->end;
      }
      text_start = pos;
    }
    add_text(text_start, m_source.size());
    if (!m_open.empty()) {
      return error_at(m_open.back().offset, "unclosed section " + quote(m_open.back().text, k_shown_bytes));
    }
    return std::move(m_root);
  }

 private:
  std::vector<Node>& current() { return m_open.empty() ? m_root : m_open.back().children; }

  std::unexpected<Error> error_at(std::size_t offset, std::string_view what) const {
    return fail(located_message(m_source, m_origin, offset, what));
  }

  Expected<Tag> read_tag(std::size_t start) const {
    const auto content = start + m_open_delimiter.size();
    char sigil = content < m_source.size() ? m_source[content] : '\0';
    std::string opening(m_open_delimiter);
    std::string closing(m_close_delimiter);
    auto inner_start = content + 1;
    switch (sigil) {
      case '{':
        opening += "{";
        closing = "}" + closing;
        break;
      case '=':
        opening += "=";
        closing = "=" + closing;
        break;
      case '#':
      case '^':
      case '/':
      case '!':
      case '>':
      case '&': break;
      default:
        sigil = '\0';
        inner_start = content;
        break;
    }
    const auto close = inner_start <= m_source.size() ? m_source.find(closing, inner_start) : std::string_view::npos;
    if (close == std::string_view::npos) {
      return error_at(start, "unclosed tag: " + quote(opening, k_shown_bytes) + " has no matching " +
                                 quote(closing, k_shown_bytes));
    }
    return Tag{sigil, m_source.substr(inner_start, close - inner_start), start, close + closing.size()};
  }

  // A tag that is alone on its line, apart from spaces and tabs, takes the whole line with it.
  std::optional<Line> standalone_line(const Tag& tag, std::size_t text_start) const {
    auto line_start = tag.start;
    while (line_start > text_start && is_blank(m_source[line_start - 1])) {
      --line_start;
    }
    if (line_start > 0 && m_source[line_start - 1] != '\n') {
      return std::nullopt;
    }
    auto after = tag.end;
    while (after < m_source.size() && is_blank(m_source[after])) {
      ++after;
    }
    if (after == m_source.size()) {
      return Line{line_start, after, false};
    }
    if (m_source[after] == '\n') {
      return Line{line_start, after + 1, true};
    }
    if (m_source.substr(after, 2) == "\r\n") {
      return Line{line_start, after + 2, true};
    }
    return std::nullopt;
  }

  // Marks the start of a template line, unless the template ends there.
  void add_indent(std::size_t at) {
    if (at < m_source.size()) {
      current().push_back(make_node(NodeKind::indent, {}, at));
    }
  }

  void add_text(std::size_t from, std::size_t to) {
    const auto text = m_source.substr(0, to);
    while (from < to) {
      const auto newline = text.find('\n', from);
      if (newline == std::string_view::npos) {
        current().push_back(make_node(NodeKind::text, text.substr(from), from));
        return;
      }
      current().push_back(make_node(NodeKind::text, text.substr(from, newline + 1 - from), from));
      from = newline + 1;
      add_indent(from);
    }
  }

  Expected<void> add_tag(const Tag& tag, std::string_view indent, bool standalone) {
    if (tag.sigil == '!') {
      return {};
    }
    if (tag.sigil == '=') {
      return set_delimiters(tag);
    }
    const auto name = trim(tag.inner);
    if (name.empty()) {
      return error_at(tag.start,
                      "tag " + quote(m_source.substr(tag.start, tag.end - tag.start), k_shown_bytes) + " has no name");
    }
    switch (tag.sigil) {
      case '#':
      case '^':
        if (m_open.size() >= k_max_section_depth) {
          return error_at(tag.start, "sections nested deeper than " + std::to_string(k_max_section_depth) + " levels");
        }
        m_open.push_back(make_node(tag.sigil == '#' ? NodeKind::section : NodeKind::inverted, name, tag.start));
        return {};
      case '/': return close_section(tag, name);
      case '>': {
        auto partial = make_node(NodeKind::partial, name, tag.start);
        partial.indent = indent;
        partial.standalone = standalone;
        current().push_back(std::move(partial));
        return {};
      }
      case '&':
      case '{': current().push_back(make_node(NodeKind::unescaped, name, tag.start)); return {};
      default: current().push_back(make_node(NodeKind::escaped, name, tag.start)); return {};
    }
  }

  Expected<void> close_section(const Tag& tag, std::string_view name) {
    if (m_open.empty()) {
      return error_at(tag.start, "closing " + quote(name, k_shown_bytes) + " but no section is open");
    }
    if (m_open.back().text != name) {
      return error_at(tag.start, "closing " + quote(name, k_shown_bytes) + " but " +
                                     quote(m_open.back().text, k_shown_bytes) + " is open");
    }
    auto done = std::move(m_open.back());
    m_open.pop_back();
    current().push_back(std::move(done));
    return {};
  }

  // {{=<% %>=}}: two delimiters without whitespace or '=', separated by whitespace.
  Expected<void> set_delimiters(const Tag& tag) {
    constexpr std::string_view k_space = " \t\r\n";
    const auto spec = trim(tag.inner);
    const auto split = spec.find_first_of(k_space);
    const auto open = spec.substr(0, split);
    const auto close = split == std::string_view::npos ? std::string_view{} : trim(spec.substr(split));
    const bool valid = !open.empty() && !close.empty() && close.find_first_of(k_space) == std::string_view::npos &&
                       open.find('=') == std::string_view::npos && close.find('=') == std::string_view::npos;
    if (!valid) {
      const auto text = m_source.substr(tag.start, tag.end - tag.start);
      return error_at(tag.start, "invalid set-delimiter tag " + quote(text, k_shown_bytes) +
                                     ": write two delimiters separated by a space, as in {{=<% %>=}}");
    }
    m_open_delimiter = open;
    m_close_delimiter = close;
    return {};
  }

  std::string_view m_source;
  std::string_view m_origin;
  std::string_view m_open_delimiter = "{{";
  std::string_view m_close_delimiter = "}}";
  std::vector<Node> m_root;
  std::vector<Node> m_open;  // the sections opened and not yet closed, innermost last
};

}  // namespace

std::string located_message(std::string_view source, std::string_view origin, std::size_t offset,
                            std::string_view what) {
  std::size_t line = 1;
  std::size_t column = 1;
  for (std::size_t i = 0; i < offset && i < source.size(); ++i) {
    const auto byte = static_cast<unsigned char>(source[i]);
    if (byte == '\n') {
      ++line;
      column = 1;
    } else if ((byte & 0xC0u) != 0x80u) {
      ++column;
    }
  }
  return std::string(origin) + " line " + std::to_string(line) + ", column " + std::to_string(column) + ": " +
         std::string(what);
}

Expected<std::vector<Node>> parse(std::string_view source, std::string_view origin) {
  return Parser(source, origin).run();
}

}  // namespace pw::mustache
