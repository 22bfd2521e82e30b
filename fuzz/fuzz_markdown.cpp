// Fuzzes the helpers that put untrusted text (response bodies, headers, titles) into issues.
// Beyond not crashing: output is valid UTF-8 without control bytes other than tab and line
// breaks; a code fence is longer than any backtick run inside it; escaped text carries no
// line break and no unescaped Markdown character; no @mention or #reference survives; cuts
// stay within their limit and on a character boundary.

#include "fuzz_check.hpp"

#include <bot/core/text.hpp>
#include <bot/render/markdown.hpp>

#include <algorithm>
#include <string>

namespace {

// Fuzz input with no secrets registered, as the type the Markdown functions accept.
pw::Redacted untrusted(std::string_view text) {
  static const pw::Redactor k_none;
  return k_none.redact(text);
}

bool no_controls(std::string_view text, bool line_breaks_allowed) {
  return std::none_of(text.begin(), text.end(), [&](char ch) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == '\t') {
      return false;
    }
    if (c == '\n' || c == '\r') {
      return !line_breaks_allowed;
    }
    return c < 0x20 || c == 0x7F;
  });
}

bool is_word(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

// No '@' or '#' directly followed by a word character.
bool no_references(std::string_view text) {
  for (std::size_t i = 0; i + 1 < text.size(); ++i) {
    if ((text[i] == '@' || text[i] == '#') && is_word(text[i + 1])) {
      return false;
    }
  }
  return true;
}

std::size_t longest_backtick_run(std::string_view text) {
  std::size_t longest = 0;
  std::size_t run = 0;
  for (const char c : text) {
    run = c == '`' ? run + 1 : 0;
    longest = std::max(longest, run);
  }
  return longest;
}

void check_fence(std::string_view text, std::string_view info) {
  const std::string fenced = pw::code_fence(untrusted(text), info);
  FUZZ_CHECK(fuzz::valid_utf8(fenced));
  const std::size_t fence = fenced.find_first_not_of('`');
  FUZZ_CHECK(fence >= 3 && fence != std::string::npos);
  FUZZ_CHECK(fenced.ends_with("\n" + std::string(fence, '`')));
  const std::size_t first_line = fenced.find('\n');
  const std::string_view inside =
      std::string_view(fenced).substr(first_line + 1, fenced.size() - fence - first_line - 1);
  FUZZ_CHECK(longest_backtick_run(inside) < fence);
  FUZZ_CHECK(no_controls(inside, true));
  FUZZ_CHECK(no_references(inside));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = fuzz::as_text(data, size);

  const std::string clean = pw::sanitize_utf8(text);
  FUZZ_CHECK(fuzz::valid_utf8(clean));
  FUZZ_CHECK(no_controls(clean, true));
  FUZZ_CHECK(pw::sanitize_utf8(clean) == clean);
  if (fuzz::valid_utf8(text) && no_controls(text, true)) {
    FUZZ_CHECK(clean == text);
  }

  check_fence(text, "");
  check_fence(text, "json");

  const std::string escaped = pw::escape_markdown(untrusted(text));
  FUZZ_CHECK(fuzz::valid_utf8(escaped));
  FUZZ_CHECK(no_controls(escaped, false));
  for (std::size_t i = 0; i < escaped.size(); ++i) {
    if (escaped[i] == '\\') {
      ++i;  // an escape pair
      FUZZ_CHECK(i < escaped.size());
      continue;
    }
    FUZZ_CHECK(std::string_view("`*_[]()#|~!><&").find(escaped[i]) == std::string_view::npos);
  }
  FUZZ_CHECK(no_references(escaped));

  const std::string code = pw::inline_code(untrusted(text));
  FUZZ_CHECK(fuzz::valid_utf8(code));
  FUZZ_CHECK(no_controls(code, false));
  FUZZ_CHECK(code.find('|') == std::string::npos);
  FUZZ_CHECK(no_references(code));

  const std::string neutral = pw::neutralize_references(untrusted(text));
  FUZZ_CHECK(no_references(neutral));

  const std::size_t limit = size % 97;
  const std::string cut = pw::cut_text(clean, limit, "…");
  FUZZ_CHECK(cut.size() <= std::max(limit, std::string_view("…").size()));
  FUZZ_CHECK(fuzz::valid_utf8(cut));
  const std::string_view prefix = pw::utf8_prefix(clean, limit);
  FUZZ_CHECK(prefix.size() <= limit && fuzz::valid_utf8(prefix));
  return 0;
}
