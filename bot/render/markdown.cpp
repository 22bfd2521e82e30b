#include <bot/render/markdown.hpp>

#include <bot/core/text.hpp>

#include <algorithm>

namespace pw {

namespace {

constexpr std::string_view k_zero_width_space = "\xE2\x80\x8B";

bool is_word(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

std::string neutralize(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    out += text[i];
    const bool next_is_word = i + 1 < text.size() && is_word(text[i + 1]);
    if ((text[i] == '@' || text[i] == '#') && next_is_word) {
      out += k_zero_width_space;
    }
    if (text[i] == '!' && i > 0 && text[i - 1] == '<' && text.substr(i + 1, 2) == "--") {
      out += k_zero_width_space;  // "<!--" becomes "<!\u200B--"
    }
  }
  return out;
}

}  // namespace

std::string neutralize_references(const Redacted& text) { return neutralize(text.view()); }

std::string code_fence(const Redacted& text, std::string_view info) {
  const std::string clean = neutralize(sanitize_utf8(text.view()));
  std::size_t longest = 0;
  std::size_t run = 0;
  for (const char c : clean) {
    run = c == '`' ? run + 1 : 0;
    longest = std::max(longest, run);
  }
  const std::string fence(std::max<std::size_t>(3, longest + 1), '`');
  std::string out = fence + std::string(info) + "\n" + clean;
  if (!clean.empty() && clean.back() != '\n') {
    out += '\n';
  }
  return out + fence;
}

std::string inline_code(const Redacted& text) {
  std::string clean = neutralize(sanitize_utf8(text.view()));
  std::replace(clean.begin(), clean.end(), '\n', ' ');
  std::replace(clean.begin(), clean.end(), '\r', ' ');
  std::replace(clean.begin(), clean.end(), '|', '/');  // a pipe would end a table cell
  std::size_t longest = 0;
  std::size_t run = 0;
  for (const char c : clean) {
    run = c == '`' ? run + 1 : 0;
    longest = std::max(longest, run);
  }
  const std::string ticks(longest + 1, '`');
  const bool pad = !clean.empty() && (clean.front() == '`' || clean.back() == '`');
  return ticks + (pad ? " " : "") + clean + (pad ? " " : "") + ticks;
}

std::string escape_markdown(const Redacted& text) {
  const std::string clean = neutralize(sanitize_utf8(text.view()));
  std::string out;
  out.reserve(clean.size());
  for (const char c : clean) {
    switch (c) {
      case '\\':
      case '`':
      case '*':
      case '_':
      case '[':
      case ']':
      case '(':
      case ')':
      case '#':
      case '|':
      case '~':
      case '!':
      case '>':
      case '<':
      case '&':
        out += '\\';
        out += c;
        break;
      case '\n':
      case '\r': out += ' '; break;
      default: out += c;
    }
  }
  return out;
}

std::string cut_text(std::string_view text, std::size_t max_bytes, std::string_view note) {
  if (text.size() <= max_bytes) {
    return std::string(text);
  }
  const std::size_t room = max_bytes > note.size() ? max_bytes - note.size() : 0;
  return std::string(utf8_prefix(text, room)) + std::string(note);
}

}  // namespace pw
