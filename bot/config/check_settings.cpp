#include <bot/config/reader.hpp>
#include <bot/model/proxy.hpp>

#include <bot/core/json_pointer.hpp>
#include <bot/core/text.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <arpa/inet.h>
#include <array>

namespace pw {

namespace {

constexpr std::array<std::string_view, 7> k_methods = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"};
constexpr std::array<std::string_view, 6> k_records = {"A", "AAAA", "CNAME", "MX", "TXT", "NS"};
constexpr std::array<std::string_view, 6> k_rcodes = {"NOERROR",  "FORMERR", "SERVFAIL",
                                                      "NXDOMAIN", "NOTIMP",  "REFUSED"};

std::string to_upper(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](char c) { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c; });
  return out;
}

bool looks_like_number(std::string_view text) {
  if (text.empty()) {
    return false;
  }
  char* end = nullptr;
  const std::string copy(text);
  std::strtod(copy.c_str(), &end);
  return end == copy.c_str() + copy.size();
}

bool valid_dns_server(std::string_view server) {
  const std::size_t colon = server.find(':');
  const std::string address(server.substr(0, colon));
  in_addr parsed{};
  if (::inet_pton(AF_INET, address.c_str(), &parsed) != 1) {
    return false;
  }
  if (colon == std::string_view::npos) {
    return true;
  }
  const std::string_view port = server.substr(colon + 1);
  return !port.empty() && port.size() <= 5 &&
         std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; }) &&
         std::stoi(std::string(port)) >= 1 && std::stoi(std::string(port)) <= 65535;
}

bool valid_repo(std::string_view repo) {
  const std::size_t slash = repo.find('/');
  if (slash == std::string_view::npos || slash == 0 || slash + 1 == repo.size() ||
      repo.find('/', slash + 1) != std::string_view::npos) {
    return false;
  }
  return std::all_of(repo.begin(), repo.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
           c == '.' || c == '/';
  });
}

// A domain name of at least two labels: letters, digits and hyphens, as RDAP servers take them.
bool valid_domain(std::string_view name) {
  if (name.size() < 3 || name.size() > 253 || name.find('.') == std::string_view::npos || name.front() == '.' ||
      name.back() == '.' || name.find("..") != std::string_view::npos) {
    return false;
  }
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.';
  });
}

// A GitHub login: 1 to 39 letters, digits and single hyphens, not at either end.
bool valid_login(std::string_view login) {
  if (login.empty() || login.size() > 39 || login.front() == '-' || login.back() == '-' ||
      login.find("--") != std::string_view::npos) {
    return false;
  }
  return std::all_of(login.begin(), login.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
  });
}

// A team's slug, as in github.com/orgs/ORG/teams/SLUG: letters, digits, hyphens and underscores.
bool valid_team_slug(std::string_view slug) {
  return !slug.empty() && slug.size() <= 100 && std::all_of(slug.begin(), slug.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
  });
}

// Reads one `owners` entry: "alice" or "@alice" (a user), "acme/payments" or "@acme/payments" (a team).
std::optional<Owner> parse_owner(std::string_view text) {
  text = trim(text);
  if (text.starts_with('@')) {
    text.remove_prefix(1);
  }
  const std::size_t slash = text.find('/');
  if (slash == std::string_view::npos) {
    return valid_login(text) ? std::optional(Owner{std::string(text), false}) : std::nullopt;
  }
  const std::string_view org = text.substr(0, slash);
  const std::string_view team = text.substr(slash + 1);
  if (!valid_login(org) || !valid_team_slug(team)) {
    return std::nullopt;
  }
  return Owner{std::string(text), true};
}

std::vector<Owner> read_owners(ConfigReader& reader, const YamlNode& node) {
  std::vector<Owner> owners;
  const auto names = reader.string_list(node, "owners");
  if (!names) {
    return owners;
  }
  for (std::size_t i = 0; i < names->size(); ++i) {
    const YamlNode& where = node.is_sequence() && i < node.items.size() ? node.items[i] : node;
    auto owner = parse_owner((*names)[i]);
    if (!owner) {
      reader.error(where, fmt::format("\"owners\" entry \"{}\" is neither a GitHub login (alice) nor a team "
                                      "(org/team-slug); write a user as their login and a team as its organization "
                                      "and slug",
                                      reader.shown((*names)[i], 40)));
    } else if (std::find(owners.begin(), owners.end(), *owner) == owners.end()) {
      owners.push_back(std::move(*owner));
    }
  }
  return owners;
}

// Reads "< 100", ">= 1.5", "== 3", "!= 0" or "len > 0"; nullopt when `text` is no comparison.
std::optional<NumericComparison> parse_comparison(std::string_view text) {
  using Op = NumericComparison::Op;
  NumericComparison comparison;
  text = trim(text);
  if (text.starts_with("len") && text.size() > 3 &&
      (text[3] == ' ' || text[3] == '<' || text[3] == '>' || text[3] == '=' || text[3] == '!')) {
    comparison.length = true;
    text = trim(text.substr(3));
  }
  static constexpr std::array<std::pair<std::string_view, Op>, 6> k_ops = {{{"<=", Op::less_equal},
                                                                            {">=", Op::greater_equal},
                                                                            {"==", Op::equal},
                                                                            {"!=", Op::not_equal},
                                                                            {"<", Op::less},
                                                                            {">", Op::greater}}};
  bool found = false;
  for (const auto& [symbol, op] : k_ops) {
    if (text.starts_with(symbol)) {
      comparison.op = op;
      text = trim(text.substr(symbol.size()));
      found = true;
      break;
    }
  }
  if (!found || !looks_like_number(text)) {
    return std::nullopt;
  }
  comparison.operand = std::strtod(std::string(text).c_str(), nullptr);
  return comparison;
}

void read_json_expectations(ConfigReader& reader, const YamlNode& node, Expect& expect) {
  if (!node.is_map()) {
    reader.error(node, "\"json\" must map JSON Pointers to expected values, as in { /status: ok }");
    return;
  }
  for (const auto& [key, value] : node.entries) {
    if (!key.is_scalar()) {
      reader.error(key, "\"json\" keys must be JSON Pointers such as /status");
      continue;
    }
    auto tokens = parse_json_pointer(key.scalar);
    if (!tokens) {
      reader.error(key, fmt::format("in \"json\": {}", tokens.error().message));
      continue;
    }
    if (!value.is_scalar() && !value.is_null()) {
      reader.error(value, fmt::format("\"json\" value for {} must be a single value (text, number, true, false "
                                      "or null), not a {}",
                                      key.scalar, value.is_map() ? "map" : "list"));
      continue;
    }
    JsonExpectation expectation{key.scalar, std::move(*tokens), "null", false};
    if (value.is_scalar()) {
      auto text = reader.string(value, key.scalar);
      if (!text) {
        continue;
      }
      const std::string lowered = to_lower(*text);
      const bool typed = value.plain && (lowered == "true" || lowered == "false" || lowered == "null" ||
                                         lowered == "~" || looks_like_number(*text));
      expectation.expected = typed && (lowered == "true" || lowered == "false" || lowered == "null") ? lowered
                             : typed && lowered == "~"                                               ? "null"
                                                                                                     : *text;
      expectation.expected_is_string = !typed;
      if (!typed) {
        expectation.comparison = parse_comparison(*text);
        if (expectation.comparison) {
          expectation.expected = std::string(trim(*text));
        }
      }
    }
    expect.json.push_back(std::move(expectation));
  }
}

void read_expect(ConfigReader& reader, const YamlNode& node, Expect& expect) {
  if (!node.is_map()) {
    reader.error(node, "\"expect\" must be a map, as in { status: 200 }");
    return;
  }
  reader.check_keys(node, Section::expect);
  if (const YamlNode* value = ConfigReader::get(node, "status")) {
    if (auto ranges = reader.status_list(*value)) {
      expect.status = std::move(*ranges);
    }
  }
  if (const YamlNode* value = ConfigReader::get(node, "max_response_time")) {
    expect.max_response_time = reader.duration(*value, "max_response_time");
  }
  if (const YamlNode* value = ConfigReader::get(node, "degraded_response_time")) {
    expect.degraded_response_time = reader.duration(*value, "degraded_response_time");
  }
  if (const YamlNode* value = ConfigReader::get(node, "body_contains")) {
    expect.body_contains = reader.string(*value, "body_contains");
  }
  if (const YamlNode* value = ConfigReader::get(node, "body_matches")) {
    expect.body_matches = reader.regex(*value, "body_matches");
  }
  if (const YamlNode* value = ConfigReader::get(node, "json")) {
    read_json_expectations(reader, *value, expect);
  }
  if (const YamlNode* value = ConfigReader::get(node, "headers")) {
    if (!value->is_map()) {
      reader.error(*value, "\"headers\" in expect must map header names to regular expressions");
    } else {
      for (const auto& [name, pattern] : value->entries) {
        if (!name.is_scalar() || name.scalar.empty()) {
          reader.error(name, "\"headers\" keys must be header names");
          continue;
        }
        if (pattern.is_scalar() && pattern.plain && pattern.scalar == "absent") {
          expect.headers.push_back({to_lower(name.scalar), std::nullopt});
        } else if (auto regex = reader.regex(pattern, name.scalar)) {
          expect.headers.push_back({to_lower(name.scalar), std::move(*regex)});
        }
      }
    }
  }
  if (const YamlNode* value = ConfigReader::get(node, "reply_matches")) {
    expect.reply_matches = reader.regex(*value, "reply_matches");
  }
  if (const YamlNode* value = ConfigReader::get(node, "answers")) {
    expect.answers = reader.string_list(*value, "answers").value_or(std::vector<std::string>{});
  }
  if (const YamlNode* value = ConfigReader::get(node, "rcode")) {
    if (auto rcode = reader.string(*value, "rcode")) {
      const std::string upper = to_upper(*rcode);
      if (std::find(k_rcodes.begin(), k_rcodes.end(), upper) == k_rcodes.end()) {
        reader.error(*value, fmt::format("\"rcode\" must be one of NOERROR, FORMERR, SERVFAIL, NXDOMAIN, NOTIMP, "
                                         "REFUSED, not \"{}\"",
                                         reader.shown(*rcode, 40)));
      } else {
        expect.rcode = upper;
      }
    }
  }
  if (const YamlNode* value = ConfigReader::get(node, "cert_days_left")) {
    if (auto days = reader.integer(*value, *find_key(Section::expect, "cert_days_left"))) {
      expect.cert_days_left = static_cast<int>(*days);
    }
  }
}

std::optional<WaitFor> read_wait_for(ConfigReader& reader, const YamlNode& node) {
  if (node.is_scalar()) {
    auto on = reader.boolean(node, "wait_for");
    return on && *on ? std::optional(WaitFor{}) : std::nullopt;
  }
  if (!node.is_map()) {
    reader.error(node, "\"wait_for\" must be true or a map such as { timeout: 10m, interval: 10s }");
    return std::nullopt;
  }
  reader.check_keys(node, Section::wait_for);
  WaitFor wait;
  if (const YamlNode* value = ConfigReader::get(node, "timeout")) {
    wait.timeout = reader.duration(*value, "timeout").value_or(wait.timeout);
  }
  if (const YamlNode* value = ConfigReader::get(node, "interval")) {
    wait.interval = reader.duration(*value, "interval").value_or(wait.interval);
  }
  if (wait.interval.count() <= 0) {
    reader.error(node, "\"wait_for\" interval must be longer than 0s");
  }
  return wait;
}

// `version: /build/sha` (a JSON Pointer into the body) or `version: header x-app-version`.
std::optional<VersionSource> read_version(ConfigReader& reader, const YamlNode& node) {
  auto text = reader.string(node, "version");
  if (!text) {
    return std::nullopt;
  }
  VersionSource source;
  source.text = std::string(trim(*text));
  if (source.text.starts_with("header ")) {
    source.header = to_lower(trim(std::string_view(source.text).substr(7)));
    const bool valid = !source.header.empty() && std::all_of(source.header.begin(), source.header.end(), [](char c) {
      return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
    });
    if (!valid) {
      reader.error(node, fmt::format("\"version\": \"{}\" is not a header name; write header NAME, as in "
                                     "header x-app-version",
                                     reader.shown(source.text, 60)));
      return std::nullopt;
    }
    return source;
  }
  if (!source.text.starts_with("/")) {
    reader.error(node, fmt::format("\"version\" must be a JSON Pointer into the body (/version) or header NAME "
                                   "(header x-app-version), not \"{}\"",
                                   reader.shown(source.text, 60)));
    return std::nullopt;
  }
  auto tokens = parse_json_pointer(source.text);
  if (!tokens) {
    reader.error(node, fmt::format("\"version\": {}", tokens.error().message));
    return std::nullopt;
  }
  source.tokens = std::move(*tokens);
  return source;
}

}  // namespace

void read_check_settings(ConfigReader& reader, const YamlNode& node, Check& check) {
  if (const YamlNode* value = ConfigReader::get(node, "method")) {
    if (auto method = reader.string(*value, "method")) {
      std::string upper = *method;
      std::transform(upper.begin(), upper.end(), upper.begin(),
                     [](char c) { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c; });
      if (std::find(k_methods.begin(), k_methods.end(), upper) == k_methods.end()) {
        reader.error(*value, fmt::format("\"method\" must be one of GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS, "
                                         "not \"{}\"",
                                         reader.shown(*method, 40)));
      } else {
        check.method = upper;
      }
    }
  }
  if (const YamlNode* value = ConfigReader::get(node, "headers")) {
    if (auto headers = reader.string_map(*value, "headers")) {
      check.headers = std::move(*headers);
    }
  }
  if (const YamlNode* value = ConfigReader::get(node, "body")) {
    check.body = reader.string(*value, "body");
  }
  if (const YamlNode* value = ConfigReader::get(node, "timeout")) {
    check.timeout = reader.duration(*value, "timeout").value_or(check.timeout);
    if (check.timeout.count() <= 0) {
      reader.error(*value, "\"timeout\" must be longer than 0s");
    }
  }
  if (const YamlNode* value = ConfigReader::get(node, "retries")) {
    check.retries = static_cast<int>(reader.integer(*value, *find_key(Section::check, "retries")).value_or(2));
  }
  if (const YamlNode* value = ConfigReader::get(node, "retry_delay")) {
    check.retry_delay = reader.duration(*value, "retry_delay").value_or(check.retry_delay);
  }
  if (const YamlNode* value = ConfigReader::get(node, "follow_redirects")) {
    check.follow_redirects = reader.boolean(*value, "follow_redirects").value_or(true);
  }
  if (const YamlNode* value = ConfigReader::get(node, "forward_headers")) {
    check.forward_headers = reader.boolean(*value, "forward_headers").value_or(false);
  }
  if (const YamlNode* value = ConfigReader::get(node, "max_body_size")) {
    check.max_body_bytes = reader.size(*value, "max_body_size").value_or(check.max_body_bytes);
  }
  if (const YamlNode* value = ConfigReader::get(node, "ca_file")) {
    check.ca_file = reader.string(*value, "ca_file");
    if (check.ca_file && !check.ca_file->empty()) {
      reader.refer_to_file({"ca_file", *check.ca_file, value->location,
                            "give the path of the CA's PEM file, relative to the working folder"});
    } else if (check.ca_file) {
      reader.error(*value, "\"ca_file\" is empty; give the path of the CA's PEM file, or drop the key");
      check.ca_file.reset();
    }
  }
  if (const YamlNode* value = ConfigReader::get(node, "proxy")) {
    check.proxy = reader.string(*value, "proxy");
    if (check.proxy && to_lower(trim(*check.proxy)) != "none") {
      if (auto proxy = parse_proxy(*check.proxy, "\"proxy\":"); !proxy) {
        reader.error(*value, proxy.error().message + ", or none to connect directly");
        check.proxy.reset();
      } else {
        for (const std::string& secret : proxy_secrets(*proxy)) {
          reader.add_secret(secret);
        }
      }
    }
  }
  if (const YamlNode* value = ConfigReader::get(node, "insecure")) {
    check.insecure = reader.boolean(*value, "insecure").value_or(false);
  }
  if (const YamlNode* value = ConfigReader::get(node, "send")) {
    check.send = reader.string(*value, "send");
  }
  if (const YamlNode* value = ConfigReader::get(node, "record")) {
    if (auto record = reader.string(*value, "record")) {
      const std::string upper = to_upper(*record);
      if (std::find(k_records.begin(), k_records.end(), upper) == k_records.end()) {
        reader.error(*value, fmt::format("\"record\" must be one of A, AAAA, CNAME, MX, TXT, NS, not \"{}\"",
                                         reader.shown(*record, 40)));
      } else {
        check.record = upper;
      }
    }
  }
  if (const YamlNode* value = ConfigReader::get(node, "dns_server")) {
    check.dns_server = reader.string(*value, "dns_server");
    if (check.dns_server && !valid_dns_server(*check.dns_server)) {
      reader.error(*value, fmt::format("\"dns_server\" must be an IPv4 address with an optional port, as in "
                                       "127.0.0.1:5353, not \"{}\"",
                                       reader.shown(*check.dns_server)));
      check.dns_server.reset();
    }
  }
  if (const YamlNode* value = ConfigReader::get(node, "repo")) {
    check.repo = reader.string(*value, "repo");
    if (check.repo && !valid_repo(*check.repo)) {
      reader.error(*value, fmt::format("\"repo\" must be owner/name, not \"{}\"", reader.shown(*check.repo)));
      check.repo.reset();
    }
  }
  if (const YamlNode* value = ConfigReader::get(node, "labels")) {
    check.labels = reader.string_list(*value, "labels").value_or(std::vector<std::string>{});
  }
  if (const YamlNode* value = ConfigReader::get(node, "assignees")) {
    check.assignees = reader.string_list(*value, "assignees").value_or(std::vector<std::string>{});
  }
  if (const YamlNode* value = ConfigReader::get(node, "cert_warning")) {
    check.cert_warning = reader.duration(*value, "cert_warning");
  }
  if (const YamlNode* value = ConfigReader::get(node, "domain_warning")) {
    check.domain_warning = reader.duration(*value, "domain_warning");
  }
  if (const YamlNode* value = ConfigReader::get(node, "domain")) {
    check.domain = reader.string(*value, "domain");
    if (check.domain && !valid_domain(*check.domain)) {
      reader.error(*value, fmt::format("\"domain\" must be a registered domain name such as example.com, not \"{}\"",
                                       reader.shown(*check.domain, 80)));
      check.domain.reset();
    }
  }
  if (const YamlNode* value = ConfigReader::get(node, "owners")) {
    check.owners = read_owners(reader, *value);
  }
  if (const YamlNode* value = ConfigReader::get(node, "type")) {
    check.issue_type = reader.string(*value, "type");
    if (check.issue_type && (trim(*check.issue_type).empty() || check.issue_type->size() > 100)) {
      reader.error(*value, fmt::format("\"type\" must be the name of one of the organization's issue types, "
                                       "as in Bug, not \"{}\"",
                                       reader.shown(*check.issue_type, 40)));
      check.issue_type.reset();
    }
  }
  if (const YamlNode* value = ConfigReader::get(node, "quorum")) {
    if (auto quorum = reader.integer(*value, *find_key(Section::check, "quorum"))) {
      check.quorum = static_cast<int>(*quorum);
    }
  }
  if (const YamlNode* value = ConfigReader::get(node, "wait_for")) {
    check.wait_for = read_wait_for(reader, *value);
  }
  if (const YamlNode* value = ConfigReader::get(node, "version")) {
    check.version = read_version(reader, *value);
  }
  if (const YamlNode* value = ConfigReader::get(node, "deploy_grace")) {
    check.deploy_grace = reader.duration(*value, "deploy_grace");
  }
  if (const YamlNode* value = ConfigReader::get(node, "expect")) {
    read_expect(reader, *value, check.expect);
  }
}

}  // namespace pw
