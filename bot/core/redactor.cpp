#include <bot/core/redactor.hpp>

#include <algorithm>

namespace pw {

namespace {

// JSON escaping of "/" is optional: some encoders write "\/", most do not.
std::string json_escaped(std::string_view text, bool escape_slash) {
  std::string out;
  for (const char c : text) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      case '\r': out += "\\r"; break;
      case '/': out += escape_slash ? "\\/" : "/"; break;
      default: out += c;
    }
  }
  return out;
}

// Hex digits in percent-encoding are case-insensitive: "%2F" and "%2f" are the same byte.
std::string percent_encoded(std::string_view text, bool lower_case) {
  const char* hex = lower_case ? "0123456789abcdef" : "0123456789ABCDEF";
  std::string out;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if ((byte >= 'a' && byte <= 'z') || (byte >= 'A' && byte <= 'Z') || (byte >= '0' && byte <= '9') || byte == '-' ||
        byte == '_' || byte == '.' || byte == '~') {
      out += c;
    } else {
      out += '%';
      out += hex[byte >> 4];
      out += hex[byte & 15];
    }
  }
  return out;
}

// The request-target encoding of bot/model/url: only bytes a target may not carry are escaped.
std::string target_encoded(std::string_view text) {
  static constexpr std::string_view k_unsafe = "\"<>\\^`{|}%";
  const char* hex = "0123456789ABCDEF";
  std::string out;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte <= 0x20 || byte >= 0x7F || k_unsafe.find(c) != std::string_view::npos) {
      out += '%';
      out += hex[byte >> 4];
      out += hex[byte & 15];
    } else {
      out += c;
    }
  }
  return out;
}

// Mustache's HTML escaping of {{name}}.
std::string html_escaped(std::string_view text) {
  std::string out;
  for (const char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '"': out += "&quot;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      default: out += c;
    }
  }
  return out;
}

bool is_word(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

// The zero-width space neutralize_references (bot/render/markdown) puts after "@" and "#" before a
// word character and into "<!--". (A secret ending in "@" or "#" still matches as written: the
// space comes after it.)
std::string neutralized(std::string_view text) {
  constexpr std::string_view k_zero_width_space = "\xE2\x80\x8B";
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    out += text[i];
    if ((text[i] == '@' || text[i] == '#') && i + 1 < text.size() && is_word(text[i + 1])) {
      out += k_zero_width_space;
    }
    if (text[i] == '!' && i > 0 && text[i - 1] == '<' && text.substr(i + 1, 2) == "--") {
      out += k_zero_width_space;
    }
  }
  return out;
}

// inline_code's form: neutralized, newlines as spaces, "|" as "/".
std::string inline_coded(std::string_view text) {
  std::string out = neutralized(text);
  for (char& c : out) {
    if (c == '\n' || c == '\r') {
      c = ' ';
    } else if (c == '|') {
      c = '/';
    }
  }
  return out;
}

// escape_markdown's form: neutralized, Markdown punctuation backslash-escaped, newlines as spaces.
std::string markdown_escaped(std::string_view text) {
  static constexpr std::string_view k_escaped = "\\`*_[]()#|~!><&";
  std::string out;
  for (const char c : neutralized(text)) {
    if (k_escaped.find(c) != std::string_view::npos) {
      out += '\\';
      out += c;
    } else if (c == '\n' || c == '\r') {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace

void Redactor::add(std::string_view secret) {
  if (secret.empty()) {
    return;
  }
  if (std::find(m_secrets.begin(), m_secrets.end(), secret) != m_secrets.end()) {
    return;
  }
  m_secrets.emplace_back(secret);
  for (std::string form :
       {std::string(secret), json_escaped(secret, true), json_escaped(secret, false), percent_encoded(secret, false),
        percent_encoded(secret, true), target_encoded(secret), html_escaped(secret), neutralized(secret),
        html_escaped(neutralized(secret)), inline_coded(secret), html_escaped(inline_coded(secret)),
        markdown_escaped(secret), json_escaped(neutralized(secret), false)}) {
    if (std::find(m_forms.begin(), m_forms.end(), form) == m_forms.end()) {
      m_forms.push_back(std::move(form));
    }
  }
  std::stable_sort(m_forms.begin(), m_forms.end(),
                   [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
}

std::string Redactor::apply(std::string_view text) const {
  std::string out(text);
  for (const std::string& form : m_forms) {
    std::size_t pos = 0;
    while ((pos = out.find(form, pos)) != std::string::npos) {
      out.replace(pos, form.size(), "***");
      pos += 3;
    }
  }
  return out;
}

}  // namespace pw
