#include <bot/import/gatus_conditions.hpp>

#include <bot/core/duration.hpp>
#include <bot/core/text.hpp>
#include <bot/import/import_support.hpp>

#include <fmt/format.h>

#include <array>
#include <optional>

namespace pw::import_detail {

namespace {

struct Condition {
  std::string left;
  std::string op;  // ==, !=, <, <=, >, >=
  std::string right;
};

std::optional<Condition> split(const std::string& condition) {
  static constexpr std::array<std::string_view, 6> k_operators = {" == ", " != ", " <= ", " >= ", " < ", " > "};
  for (const std::string_view op : k_operators) {
    const std::size_t at = condition.find(op);
    if (at != std::string::npos) {
      return Condition{std::string(trim(condition.substr(0, at))), std::string(trim(op)),
                       std::string(trim(condition.substr(at + op.size())))};
    }
  }
  return std::nullopt;
}

std::optional<long long> number(std::string_view text) {
  if (text.empty() || text.size() > 15) {
    return std::nullopt;
  }
  long long value = 0;
  for (const char c : text) {
    if (c < '0' || c > '9') {
      return std::nullopt;
    }
    value = value * 10 + (c - '0');
  }
  return value;
}

// "[BODY].data.items[0].name" -> "/data/items/0/name"; nullopt when it is not a JSON path.
std::optional<std::string> json_pointer_of(std::string_view path) {
  if (!path.starts_with("[BODY]")) {
    return std::nullopt;
  }
  path.remove_prefix(6);
  std::string pointer;
  while (!path.empty()) {
    std::string token;
    if (path.front() == '.') {
      path.remove_prefix(1);
      const std::size_t end = path.find_first_of(".[");
      token = std::string(path.substr(0, end));
      path = end == std::string_view::npos ? std::string_view() : path.substr(end);
    } else if (path.front() == '[') {
      const std::size_t close = path.find(']');
      if (close == std::string_view::npos || !number(path.substr(1, close - 1))) {
        return std::nullopt;
      }
      token = std::string(path.substr(1, close - 1));
      path.remove_prefix(close + 1);
    } else {
      return std::nullopt;
    }
    if (token.empty()) {
      return std::nullopt;
    }
    pointer += '/';
    for (const char c : token) {
      pointer += c == '~' ? std::string("~0") : c == '/' ? std::string("~1") : std::string(1, c);
    }
  }
  return pointer.empty() ? std::nullopt : std::optional(pointer);
}

// A Gatus value as the YAML scalar probewatch compares it with: numbers and booleans plain.
std::string json_value(const std::string& value) {
  if (value == "true" || value == "false" || number(value)) {
    return value;
  }
  return yaml_string(value);
}

void restrict_status(const Condition& condition, StatusSet& status, ImportedCheck& check, const std::string& original) {
  std::bitset<600> wanted;
  if (condition.op == "==" && condition.right.starts_with("any(") && condition.right.ends_with(")")) {
    std::string_view list = std::string_view(condition.right).substr(4, condition.right.size() - 5);
    while (!list.empty()) {
      const std::size_t comma = list.find(',');
      const std::optional<long long> code = number(trim(list.substr(0, comma)));
      if (!code || *code < 100 || *code > 599) {
        check.notes.push_back(fmt::format("condition \"{}\": not imported: not a list of status codes", original));
        return;
      }
      wanted.set(static_cast<std::size_t>(*code));
      list = comma == std::string_view::npos ? std::string_view() : list.substr(comma + 1);
    }
  } else {
    const std::optional<long long> code = number(condition.right);
    if (!code || *code < 100 || *code > 599) {
      check.notes.push_back(fmt::format("condition \"{}\": not imported: not a status code", original));
      return;
    }
    for (long long c = 100; c <= 599; ++c) {
      const bool keep = condition.op == "=="   ? c == *code
                        : condition.op == "!=" ? c != *code
                        : condition.op == "<"  ? c < *code
                        : condition.op == "<=" ? c <= *code
                        : condition.op == ">"  ? c > *code
                                               : c >= *code;
      wanted.set(static_cast<std::size_t>(c), keep);
    }
  }
  status.allowed &= wanted;
  status.constrained = true;
}

void translate_response_time(const Condition& condition, ImportedCheck& check, const std::string& original) {
  const std::optional<long long> millis = number(condition.right);
  if (!millis || (condition.op != "<" && condition.op != "<=") || (condition.op == "<" && *millis == 0)) {
    check.notes.push_back(
        fmt::format("condition \"{}\": not imported: probewatch bounds the response time from "
                    "above only (max_response_time)",
                    original));
    return;
  }
  check.max_response_time = config_duration(condition.op == "<" ? *millis - 1 : *millis);
}

void translate_certificate(const Condition& condition, ImportedCheck& check, const std::string& original) {
  std::optional<long long> millis = number(condition.right);
  if (!millis) {
    auto parsed = parse_duration(condition.right);
    millis = parsed ? std::optional(parsed->count()) : std::nullopt;
  }
  if (!millis || (condition.op != ">" && condition.op != ">=")) {
    check.notes.push_back(
        fmt::format("condition \"{}\": not imported: probewatch checks that the certificate has "
                    "at least some days left (cert_days_left)",
                    original));
    return;
  }
  constexpr long long k_day = 86'400'000;
  const long long days = (*millis + k_day - 1) / k_day;
  check.cert_days_left = static_cast<int>(days);
  if (*millis % k_day != 0) {
    check.notes.push_back(
        fmt::format("condition \"{}\": rounded up to whole days: cert_days_left: {}", original, days));
  }
}

// Gatus's pat(): * is any run of characters. Returns the body_contains text when the pattern is
// *text*, else nullopt.
std::optional<std::string> contains_text(std::string_view pattern) {
  if (pattern.size() >= 2 && pattern.front() == '*' && pattern.back() == '*') {
    const std::string_view inner = pattern.substr(1, pattern.size() - 2);
    if (!inner.empty() && inner.find('*') == std::string_view::npos) {
      return std::string(inner);
    }
  }
  return std::nullopt;
}

std::string glob_regex(std::string_view pattern) {
  std::string out = "^";
  std::size_t start = 0;
  for (std::size_t i = 0; i <= pattern.size(); ++i) {
    if (i == pattern.size() || pattern[i] == '*') {
      out += regex_escape(pattern.substr(start, i - start));
      if (i < pattern.size()) {
        out += "[\\s\\S]*";
      }
      start = i + 1;
    }
  }
  return out + "$";
}

void translate_body(const Condition& condition, ImportedCheck& check, const std::string& original) {
  if (condition.op != "==" || check.body_matches || check.body_contains) {
    check.notes.push_back(
        fmt::format("condition \"{}\": not imported: probewatch takes one body_contains or "
                    "body_matches, and no negation",
                    original));
    return;
  }
  const std::string& right = condition.right;
  if (right.starts_with("pat(") && right.ends_with(")")) {
    const std::string_view pattern = std::string_view(right).substr(4, right.size() - 5);
    if (auto text = contains_text(pattern)) {
      check.body_contains = *text;
    } else {
      check.body_matches = glob_regex(pattern);
    }
    return;
  }
  // Appended, not "^" + temporary: GCC 12 at -O2/-O3 reports a false -Wrestrict on that (bug 105329).
  std::string anchored = "^";
  anchored += regex_escape(right);
  anchored += "$";
  check.body_matches = std::move(anchored);
}

// A plain decimal number, as Gatus compares it: "3", "-1", "0.5".
bool is_number(std::string_view text) {
  if (text.starts_with("-")) {
    text.remove_prefix(1);
  }
  const std::size_t dot = text.find('.');
  const std::string_view whole = text.substr(0, dot);
  const std::string_view fraction = dot == std::string_view::npos ? std::string_view("0") : text.substr(dot + 1);
  return number(whole).has_value() && number(fraction).has_value();
}

// Adds a JSON expectation unless the pointer already has one (a YAML map holds each key once).
void add_json(ImportedCheck& check, const std::string& pointer, std::string value, const std::string& condition) {
  for (const auto& entry : check.json) {
    if (entry.first == pointer) {
      check.notes.push_back(
          fmt::format("condition \"{}\": not imported: probewatch takes one expectation per JSON "
                      "Pointer, and {} has one",
                      condition, pointer));
      return;
    }
  }
  check.json.emplace_back(pointer, std::move(value));
}

}  // namespace

StatusSet::StatusSet() {
  for (std::size_t code = 100; code <= 599; ++code) {
    allowed.set(code);
  }
}

std::vector<std::string> StatusSet::ranges() const {
  std::vector<std::string> out;
  std::size_t code = 100;
  while (code <= 599) {
    if (!allowed.test(code)) {
      ++code;
      continue;
    }
    std::size_t end = code;
    while (end + 1 <= 599 && allowed.test(end + 1)) {
      ++end;
    }
    out.push_back(end == code ? std::to_string(code) : fmt::format("{}-{}", code, end));
    code = end + 1;
  }
  return out;
}

void translate_condition(const std::string& condition, ImportedCheck& check, StatusSet& status) {
  const std::optional<Condition> parts = split(condition);
  if (!parts) {
    check.notes.push_back(fmt::format("condition \"{}\": not imported: not \"left OPERATOR right\"", condition));
    return;
  }
  if (parts->left == "[STATUS]") {
    restrict_status(*parts, status, check, condition);
  } else if (parts->left == "[RESPONSE_TIME]") {
    translate_response_time(*parts, check, condition);
  } else if (parts->left == "[CERTIFICATE_EXPIRATION]") {
    translate_certificate(*parts, check, condition);
  } else if (parts->left == "[CONNECTED]" && parts->op == "==" && parts->right == "true") {
    return;  // every probewatch check fails when it cannot connect
  } else if (parts->left == "[BODY]") {
    translate_body(*parts, check, condition);
  } else if (const std::optional<std::string> pointer = json_pointer_of(parts->left);
             pointer && parts->op == "==" && !parts->right.starts_with("pat(") && !parts->right.starts_with("any(")) {
    add_json(check, *pointer, json_value(parts->right), condition);
  } else if (pointer && is_number(parts->right)) {
    add_json(check, *pointer, yaml_string(fmt::format("{} {}", parts->op, parts->right)), condition);
  } else if (parts->left.starts_with("len(") && parts->left.ends_with(")") && is_number(parts->right)) {
    const std::optional<std::string> inner = json_pointer_of(parts->left.substr(4, parts->left.size() - 5));
    if (inner) {
      add_json(check, *inner, yaml_string(fmt::format("len {} {}", parts->op, parts->right)), condition);
    } else {
      check.notes.push_back(fmt::format("condition \"{}\": not imported: no probewatch equivalent", condition));
    }
  } else {
    check.notes.push_back(fmt::format("condition \"{}\": not imported: no probewatch equivalent", condition));
  }
}

}  // namespace pw::import_detail
