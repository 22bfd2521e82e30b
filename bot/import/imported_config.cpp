#include <bot/import/imported_config.hpp>

#include <bot/core/text.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>

namespace pw {

namespace {

bool is_alnum(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }

bool reserved_word(std::string_view text) {
  static constexpr std::array<std::string_view, 12> k_words = {"true", "false", "yes", "no", "on",   "off",
                                                               "null", "y",     "n",   "~",  ".inf", ".nan"};
  const std::string lowered = to_lower(text);
  for (const std::string_view word : k_words) {
    if (lowered == word) {
      return true;
    }
  }
  return false;
}

bool plain_safe(std::string_view text) {
  static constexpr std::string_view k_inner = " _-./:@()$+=?&%~;,{}";
  static constexpr std::string_view k_first = "/_$(";
  if (text.empty() || reserved_word(text)) {
    return false;
  }
  const char first = text.front();
  if (!(std::isalpha(static_cast<unsigned char>(first)) != 0 || k_first.find(first) != std::string_view::npos)) {
    return false;
  }
  for (const char c : text) {
    if (!is_alnum(c) && k_inner.find(c) == std::string_view::npos) {
      return false;
    }
  }
  return text.find(": ") == std::string_view::npos && text.back() != ':' && text.back() != ' ';
}

std::string single_quoted(const std::string& text) {
  if (std::any_of(text.begin(), text.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20; })) {
    return yaml_string(text);
  }
  std::string out = "'";
  for (const char c : text) {
    out += c == '\'' ? std::string("''") : std::string(1, c);
  }
  return out + "'";
}

// A note as one comment line: line breaks in values quoted from the source would end the comment.
std::string comment(std::string_view indent, std::string_view note) {
  std::string line;
  for (const char c : note) {
    line += c == '\n' || c == '\r' ? ' ' : c;
  }
  return fmt::format("{}# {}\n", indent, line);
}

std::string flow_list(const std::vector<std::string>& items) {
  std::string out = "[";
  for (std::size_t i = 0; i < items.size(); ++i) {
    out += (i > 0 ? ", " : "") + yaml_string(items[i]);
  }
  return out + "]";
}

std::string status_list(const std::vector<std::string>& codes) {
  std::string out = codes.size() == 1 ? "" : "[";
  for (std::size_t i = 0; i < codes.size(); ++i) {
    const bool range = codes[i].find('-') != std::string::npos;
    out += (i > 0 ? ", " : "") + (range ? fmt::format("\"{}\"", codes[i]) : codes[i]);
  }
  return codes.size() == 1 ? out : out + "]";
}

bool has_expect(const ImportedCheck& check) {
  return !check.status.empty() || check.max_response_time || check.degraded_response_time || check.body_contains ||
         check.body_matches || !check.json.empty() || !check.expect_headers.empty() || check.cert_days_left ||
         !check.answers.empty() || check.rcode;
}

void render_expect(const ImportedCheck& check, std::string& out) {
  out += "    expect:\n";
  if (!check.status.empty()) {
    out += fmt::format("      status: {}\n", status_list(check.status));
  }
  if (check.max_response_time) {
    out += fmt::format("      max_response_time: {}\n", *check.max_response_time);
  }
  if (check.degraded_response_time) {
    out += fmt::format("      degraded_response_time: {}\n", *check.degraded_response_time);
  }
  if (check.body_contains) {
    out += fmt::format("      body_contains: {}\n", yaml_string(*check.body_contains));
  }
  if (check.body_matches) {
    out += fmt::format("      body_matches: {}\n", single_quoted(*check.body_matches));
  }
  if (!check.json.empty()) {
    out += "      json:\n";
    for (const auto& [pointer, value] : check.json) {
      out += fmt::format("        {}: {}\n", yaml_string(pointer), value);
    }
  }
  if (!check.expect_headers.empty()) {
    out += "      headers:\n";
    for (const auto& [name, pattern] : check.expect_headers) {
      out += fmt::format("        {}: {}\n", yaml_string(name), single_quoted(pattern));
    }
  }
  if (check.cert_days_left) {
    out += fmt::format("      cert_days_left: {}\n", *check.cert_days_left);
  }
  if (!check.answers.empty()) {
    out += fmt::format("      answers: {}\n", flow_list(check.answers));
  }
  if (check.rcode) {
    out += fmt::format("      rcode: {}\n", *check.rcode);
  }
}

void render_check(const ImportedCheck& check, std::string& out) {
  if (check.skipped) {
    out += comment("  ", fmt::format("- name: {} (not imported)", check.name));
    for (const std::string& note : check.notes) {
      out += comment("  ", "  " + note);
    }
    return;
  }
  out += fmt::format("  - name: {}\n", yaml_string(check.name));
  if (!check.id.empty()) {
    out += fmt::format("    id: {}\n", yaml_string(check.id));
  }
  out += fmt::format("    url: {}\n", yaml_string(check.url));
  if (!check.method.empty()) {
    out += fmt::format("    method: {}\n", check.method);
  }
  if (!check.headers.empty()) {
    out += "    headers:\n";
    for (const auto& [name, value] : check.headers) {
      out += fmt::format("      {}: {}\n", yaml_string(name), yaml_string(value));
    }
  }
  if (check.body) {
    out += fmt::format("    body: {}\n", yaml_string(*check.body));
  }
  if (check.timeout) {
    out += fmt::format("    timeout: {}\n", *check.timeout);
  }
  if (check.follow_redirects) {
    out += fmt::format("    follow_redirects: {}\n", *check.follow_redirects ? "true" : "false");
  }
  if (check.insecure) {
    out += "    insecure: true\n";
  }
  if (!check.assignees.empty()) {
    out += fmt::format("    assignees: {}\n", flow_list(check.assignees));
  }
  if (check.repo) {
    out += fmt::format("    repo: {}\n", yaml_string(*check.repo));
  }
  if (check.record) {
    out += fmt::format("    record: {}\n", *check.record);
  }
  if (check.dns_server) {
    out += fmt::format("    dns_server: {}\n", yaml_string(*check.dns_server));
  }
  if (has_expect(check)) {
    render_expect(check, out);
  }
  for (const std::string& note : check.notes) {
    out += comment("    ", note);
  }
}

}  // namespace

std::string yaml_string(const std::string& text) {
  if (plain_safe(text)) {
    return text;
  }
  if (std::none_of(text.begin(), text.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20; })) {
    return single_quoted(text);
  }
  std::string out = "\"";
  for (const char c : text) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      case '\r': out += "\\r"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          out += fmt::format("\\x{:02x}", static_cast<unsigned>(static_cast<unsigned char>(c)));
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}

std::string config_duration(long long millis) {
  if (millis <= 0) {
    return "0ms";
  }
  struct Unit {
    const char* suffix;
    long long size;
  };
  static constexpr std::array<Unit, 5> k_units = {
      {{"d", 86'400'000}, {"h", 3'600'000}, {"m", 60'000}, {"s", 1000}, {"ms", 1}}};
  std::string out;
  for (const Unit& unit : k_units) {
    if (millis >= unit.size) {
      out += fmt::format("{}{}", millis / unit.size, unit.suffix);
      millis %= unit.size;
    }
  }
  return out;
}

std::string render_imported(const ImportedConfig& config) {
  std::string out = comment("", fmt::format("Imported from {} by probewatch import.", config.source));
  for (const std::string& note : config.notes) {
    out += comment("", note);
  }
  if (!config.default_headers.empty()) {
    out += "defaults:\n  headers:\n";
    for (const auto& [name, value] : config.default_headers) {
      out += fmt::format("    {}: {}\n", yaml_string(name), yaml_string(value));
    }
  }
  if (!config.issue_assignees.empty() || config.failure_threshold || config.success_threshold) {
    out += "issues:\n";
    if (!config.issue_assignees.empty()) {
      out += fmt::format("  assignees: {}\n", flow_list(config.issue_assignees));
    }
    if (config.failure_threshold) {
      out += fmt::format("  failure_threshold: {}\n", *config.failure_threshold);
    }
    if (config.success_threshold) {
      out += fmt::format("  success_threshold: {}\n", *config.success_threshold);
    }
  }
  out += "checks:\n";
  for (const ImportedCheck& check : config.checks) {
    render_check(check, out);
  }
  return out;
}

}  // namespace pw
