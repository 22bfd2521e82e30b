#include <bot/core/redactor.hpp>

#include <algorithm>

namespace pw {

namespace {

std::string json_escaped(std::string_view text) {
  std::string out;
  for (const char c : text) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      case '\r': out += "\\r"; break;
      case '/': out += "\\/"; break;
      default: out += c;
    }
  }
  return out;
}

std::string percent_encoded(std::string_view text) {
  static constexpr char k_hex[] = "0123456789ABCDEF";
  std::string out;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if ((byte >= 'a' && byte <= 'z') || (byte >= 'A' && byte <= 'Z') || (byte >= '0' && byte <= '9') ||
        byte == '-' || byte == '_' || byte == '.' || byte == '~') {
      out += c;
    } else {
      out += '%';
      out += k_hex[byte >> 4];
      out += k_hex[byte & 15];
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
  for (std::string form : {std::string(secret), json_escaped(secret), percent_encoded(secret)}) {
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
