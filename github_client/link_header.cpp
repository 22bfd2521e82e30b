#include <github_client/link_header.hpp>

#include <algorithm>
#include <cctype>

namespace github {

namespace {

bool is_space(char c) { return c == ' ' || c == '\t'; }

char to_lower(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }

class LinkParser {
 public:
  explicit LinkParser(std::string_view text) : m_text(text) {}

  std::vector<Link> parse() {
    std::vector<Link> links;
    while (true) {
      skip_while([](char c) { return is_space(c) || c == ','; });
      if (at_end()) {
        break;
      }
      auto link = parse_link_value();
      if (!link) {
        break;
      }
      links.push_back(std::move(*link));
    }
    return links;
  }

 private:
  bool at_end() const { return m_pos >= m_text.size(); }
  char peek() const { return m_text[m_pos]; }

  template <class Predicate>
  void skip_while(Predicate predicate) {
    while (!at_end() && predicate(peek())) {
      ++m_pos;
    }
  }

  std::optional<Link> parse_link_value() {
    if (peek() != '<') {
      return std::nullopt;
    }
    auto close = m_text.find('>', m_pos + 1);
    if (close == std::string_view::npos) {
      return std::nullopt;
    }
    Link link{std::string(m_text.substr(m_pos + 1, close - m_pos - 1)), {}};
    m_pos = close + 1;
    bool seen_rel = false;
    while (true) {
      skip_while(is_space);
      if (at_end() || peek() == ',') {
        return link;
      }
      if (peek() != ';') {
        return std::nullopt;
      }
      ++m_pos;
      skip_while(is_space);
      auto name = read_token();
      skip_while(is_space);
      std::string value;
      if (!at_end() && peek() == '=') {
        ++m_pos;
        skip_while(is_space);
        auto parsed = read_value();
        if (!parsed) {
          return std::nullopt;
        }
        value = std::move(*parsed);
      }
      std::ranges::transform(name, name.begin(), to_lower);
      if (name == "rel" && !seen_rel) {
        seen_rel = true;
        link.rels = split_rels(value);
      }
    }
  }

  std::string read_token() {
    auto start = m_pos;
    skip_while([](char c) { return !is_space(c) && c != '=' && c != ';' && c != ',' && c != '"'; });
    return std::string(m_text.substr(start, m_pos - start));
  }

  std::optional<std::string> read_value() {
    if (at_end() || peek() != '"') {
      return read_token();
    }
    ++m_pos;
    std::string value;
    while (!at_end()) {
      char c = peek();
      ++m_pos;
      if (c == '"') {
        return value;
      }
      if (c == '\\') {
        if (at_end()) {
          return std::nullopt;
        }
        c = peek();
        ++m_pos;
      }
      value += c;
    }
    return std::nullopt;
  }

  static std::vector<std::string> split_rels(std::string_view value) {
    std::vector<std::string> rels;
    std::size_t pos = 0;
    while (pos < value.size()) {
      while (pos < value.size() && is_space(value[pos])) {
        ++pos;
      }
      auto start = pos;
      while (pos < value.size() && !is_space(value[pos])) {
        ++pos;
      }
      if (pos > start) {
        std::string rel(value.substr(start, pos - start));
        std::ranges::transform(rel, rel.begin(), to_lower);
        rels.push_back(std::move(rel));
      }
    }
    return rels;
  }

  std::string_view m_text;
  std::size_t m_pos = 0;
};

}  // namespace

std::vector<Link> parse_link_header(std::string_view header) { return LinkParser(header).parse(); }

std::optional<std::string> next_link(std::string_view header) {
  for (auto& link : parse_link_header(header)) {
    if (std::ranges::find(link.rels, "next") != link.rels.end()) {
      return std::move(link.url);
    }
  }
  return std::nullopt;
}

}  // namespace github
