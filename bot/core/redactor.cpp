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

}  // namespace

void Redactor::add(std::string_view secret) {
  if (secret.empty()) {
    return;
  }
  if (std::find(m_secrets.begin(), m_secrets.end(), secret) != m_secrets.end()) {
    return;
  }
  m_secrets.emplace_back(secret);
  for (std::string form : {std::string(secret), json_escaped(secret, true), json_escaped(secret, false),
                           percent_encoded(secret, false), percent_encoded(secret, true)}) {
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
