#include <bot/config/load.hpp>

#include <bot/config/reader.hpp>
#include <bot/config/substitute.hpp>
#include <bot/core/text.hpp>
#include <bot/model/url.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <unordered_map>

namespace pw {

namespace {

constexpr std::size_t k_max_config_bytes = 4 * 1024 * 1024;

// Returns `check` with the entries of `defaults` it does not set itself; `headers` and
// `expect` merge key by key, the check winning.
YamlNode merge_defaults(const YamlNode& check, const YamlNode* defaults) {
  YamlNode merged = check;
  if (defaults == nullptr || !defaults->is_map() || !check.is_map()) {
    return merged;
  }
  for (const auto& [key, value] : defaults->entries) {
    if (!key.is_scalar()) {
      continue;
    }
    // Captures name the scalar: clang 14 (the fuzz build) cannot capture a structured binding.
    auto existing = std::find_if(merged.entries.begin(), merged.entries.end(),
                                 [&name = key.scalar](const auto& entry) { return entry.first.scalar == name; });
    if (existing == merged.entries.end()) {
      merged.entries.emplace_back(key, value);
    } else if ((key.scalar == "headers" || key.scalar == "expect") && existing->second.is_map() && value.is_map()) {
      for (const auto& [inner_key, inner_value] : value.entries) {
        const bool set =
            std::any_of(existing->second.entries.begin(), existing->second.entries.end(),
                        [&name = inner_key.scalar](const auto& entry) { return entry.first.scalar == name; });
        if (!set) {
          existing->second.entries.emplace_back(inner_key, inner_value);
        }
      }
    }
  }
  return merged;
}

// Returns `text` as one line of valid UTF-8: a value or a YAML error quoting a line break or a
// control byte would otherwise break the "one line per problem" format.
std::string one_line(std::string_view text) {
  std::string out;
  for (const char c : sanitize_utf8(text)) {
    if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else {
      out += c;
    }
  }
  return out;
}

bool valid_id(std::string_view id) {
  if (id.empty() || id.size() > 100) {
    return false;
  }
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
           c == '.';
  });
}

void read_issues(ConfigReader& reader, const YamlNode& node, IssuePolicy& policy) {
  if (!node.is_map()) {
    reader.error(node, "\"issues\" must be a map, as in { labels: [probewatch] }");
    return;
  }
  reader.check_keys(node, Section::issues);
  auto integer = [&](std::string_view name) -> std::optional<long long> {
    const YamlNode* value = ConfigReader::get(node, name);
    return value != nullptr ? reader.integer(*value, *find_key(Section::issues, name)) : std::nullopt;
  };
  if (const YamlNode* value = ConfigReader::get(node, "labels")) {
    if (auto labels = reader.string_list(*value, "labels")) {
      if (labels->empty()) {
        reader.error(*value, "\"labels\" needs at least one label: the first marks the issues probewatch manages");
      } else {
        policy.labels = std::move(*labels);
      }
    }
  }
  if (const YamlNode* value = ConfigReader::get(node, "assignees")) {
    policy.assignees = reader.string_list(*value, "assignees").value_or(std::vector<std::string>{});
  }
  if (auto milestone = integer("milestone")) {
    policy.milestone = static_cast<int>(*milestone);
  }
  policy.failure_threshold = static_cast<int>(integer("failure_threshold").value_or(policy.failure_threshold));
  policy.success_threshold = static_cast<int>(integer("success_threshold").value_or(policy.success_threshold));
  if (const YamlNode* value = ConfigReader::get(node, "reminder")) {
    policy.reminder = reader.duration(*value, "reminder").value_or(policy.reminder);
  }
  if (const YamlNode* value = ConfigReader::get(node, "reopen_window")) {
    policy.reopen_window = reader.duration(*value, "reopen_window").value_or(policy.reopen_window);
  }
  if (const YamlNode* value = ConfigReader::get(node, "refresh")) {
    policy.refresh = reader.duration(*value, "refresh").value_or(policy.refresh);
  }
  policy.write_budget = static_cast<int>(integer("write_budget").value_or(policy.write_budget));
  policy.hourly_write_budget = static_cast<int>(integer("hourly_write_budget").value_or(policy.hourly_write_budget));
  if (const YamlNode* value = ConfigReader::get(node, "late_after")) {
    policy.late_after = reader.duration(*value, "late_after");
  }
  if (const YamlNode* value = ConfigReader::get(node, "change_throttle")) {
    policy.change_throttle = reader.duration(*value, "change_throttle").value_or(policy.change_throttle);
  }
  if (const YamlNode* value = ConfigReader::get(node, "trusted_authors")) {
    policy.trusted_authors = reader.string_list(*value, "trusted_authors").value_or(policy.trusted_authors);
  }
  if (const YamlNode* value = ConfigReader::get(node, "dashboard")) {
    policy.dashboard = reader.boolean(*value, "dashboard").value_or(true);
    if (!policy.dashboard && policy.failure_threshold > 1) {
      reader.error(*value, fmt::format("\"failure_threshold: {}\" needs the dashboard, which keeps the count of "
                                       "failing runs between runs; remove \"dashboard: false\" or set "
                                       "failure_threshold to 1",
                                       policy.failure_threshold));
    }
  }
  if (const YamlNode* value = ConfigReader::get(node, "templates")) {
    policy.templates = reader.string(*value, "templates");
  }
  if (const YamlNode* value = ConfigReader::get(node, "maintenance_label")) {
    policy.maintenance_label = reader.string(*value, "maintenance_label").value_or(policy.maintenance_label);
    if (trim(policy.maintenance_label).empty()) {
      reader.error(*value, "\"maintenance_label\" must name a label, as in maintenance_label: maintenance");
    }
  }
}

void read_check(ConfigReader& reader, const YamlNode& node, const YamlNode* defaults, std::size_t index,
                Config& config) {
  if (!node.is_map()) {
    reader.error(node, fmt::format("checks[{}] must be a map with at least a name and a url", index));
    return;
  }
  reader.check_keys(node, Section::check);
  Check check;
  check.location = node.location;
  if (const YamlNode* value = ConfigReader::get(node, "name")) {
    check.name = reader.string(*value, "name").value_or("");
  }
  if (const YamlNode* value = ConfigReader::get(node, "id")) {
    check.id = reader.string(*value, "id").value_or("");
    if (!valid_id(check.id)) {
      reader.error(*value, fmt::format("check id \"{}\" may hold only letters, digits, '-', '_' and '.' (at most "
                                       "100)",
                                       reader.shown(check.id, 100)));
    }
  } else if (!check.name.empty()) {
    check.id = slugify(check.name);
  }
  if (check.name.empty()) {
    check.name = check.id;
  }
  const std::string label =
      check.name.empty() ? fmt::format("checks[{}]", index) : fmt::format("check \"{}\"", check.name);
  if (check.id.empty()) {
    reader.error(node, fmt::format("{} needs a name or an id", label));
  }
  if (const YamlNode* value = ConfigReader::get(node, "chart")) {
    check.chart = reader.boolean(*value, "chart").value_or(false);
  }
  if (const YamlNode* value = ConfigReader::get(node, "url")) {
    check.url = reader.string(*value, "url").value_or("");
    const std::string lowered = to_lower(check.url.substr(0, 8));
    if (is_socket_url(check.url)) {
      if (auto socket = parse_socket_url(check.url); !socket) {
        reader.error(*value, reader.shown(socket.error().message, 300));
      }
    } else if (!check.url.empty() && !lowered.starts_with("http://") && !lowered.starts_with("https://")) {
      reader.error(*value, fmt::format("\"url\" must start with http://, https://, tcp://, tls:// or dns://, not "
                                       "\"{}\"",
                                       reader.shown(check.url)));
    } else if (auto parsed = parse_url(check.url); !check.url.empty() && !parsed) {
      reader.error(*value, fmt::format("\"url\": {}", parsed.error().message));
    }
  } else {
    reader.error(node, fmt::format("{} has no url", label));
  }
  read_check_settings(reader, merge_defaults(node, defaults), check);
  const std::string scheme = to_lower(check.url.substr(0, 6));
  if (check.expect.cert_days_left && (scheme == "tcp://" || scheme == "dns://")) {
    reader.error(node, fmt::format("{} sets cert_days_left but its url is {}; use tls:// or https://", label, scheme));
  }
  if (check.expect.cert_days_left && to_lower(check.url).starts_with("http://")) {
    reader.error(node, fmt::format("{} sets cert_days_left but its url is http://; use https:// or drop "
                                   "cert_days_left",
                                   label));
  }
  const bool has_certificate = to_lower(check.url).starts_with("https://") || scheme == "tls://";
  if (check.cert_warning && !has_certificate) {
    if (ConfigReader::get(node, "cert_warning") != nullptr) {
      reader.error(node, fmt::format("{} sets cert_warning but its url has no certificate; use tls:// or https:// "
                                     "or drop cert_warning",
                                     label));
    }
    check.cert_warning.reset();  // from defaults: it applies to the checks that have a certificate
  }
  if (check.domain_warning && !check.domain) {
    // The registered domain: the host's last two labels (example.com of api.eu.example.com). Names
    // under a two-label public suffix (example.co.uk) need `domain:`.
    std::string host;
    if (auto parsed = parse_url(check.url)) {
      host = to_lower(parsed->host);
    } else if (auto socket = parse_socket_url(check.url)) {
      host = to_lower(socket->host);
    }
    const bool address =
        host.empty() || host.find(':') != std::string::npos ||
        std::all_of(host.begin(), host.end(), [](char c) { return (c >= '0' && c <= '9') || c == '.'; });
    const std::size_t last = host.rfind('.');
    if (address || last == std::string::npos || last == 0) {
      reader.error(node, fmt::format("{} sets domain_warning but its host \"{}\" is no domain name; set domain: to the "
                                     "registered domain",
                                     label, reader.shown(host, 80)));
      check.domain_warning.reset();
    } else {
      const std::size_t before = host.rfind('.', last - 1);
      check.domain = before == std::string::npos ? host : host.substr(before + 1);
    }
  }
  config.checks.push_back(std::move(check));
}

// Reads `public:`, a list of environment variable names.
void read_public(ConfigReader& reader, const YamlNode& node) {
  auto names = reader.string_list(node, "public");
  if (!names) {
    return;
  }
  PublicVariables publics;
  for (std::string& name : *names) {
    const bool valid = !name.empty() && !(name.front() >= '0' && name.front() <= '9') &&
                       std::all_of(name.begin(), name.end(), [](char c) {
                         return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
                       });
    if (!valid) {
      reader.error(node, fmt::format("\"public\" lists {}, which is not a variable name; write names as in "
                                     "public: [API_HOST] (letters, digits and _)",
                                     quote(name, 64)));
    } else if (name == "GITHUB_TOKEN") {
      reader.error(node, "\"public\" lists GITHUB_TOKEN, which is always a secret; remove it");
    } else {
      publics.declared.push_back(std::move(name));
    }
  }
  reader.set_public(std::move(publics));
}

}  // namespace

std::string slugify(std::string_view name) {
  std::string slug;
  for (const char c : name) {
    const char lower = c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
    const bool keep = (lower >= 'a' && lower <= 'z') || (lower >= '0' && lower <= '9');
    if (keep) {
      slug += lower;
    } else if (!slug.empty() && slug.back() != '-') {
      slug += '-';
    }
  }
  while (!slug.empty() && slug.back() == '-') {
    slug.pop_back();
  }
  return slug.substr(0, 100);
}

Expected<Config> load_config(std::string_view text, const std::string& path, const Environment& env) {
  if (text.size() > k_max_config_bytes) {
    return fail(fmt::format("{}: the config is larger than 4 MiB", path));
  }
  std::string protected_text(text);
  const ReferenceBrackets brackets = protect_references(protected_text);
  auto root = parse_yaml(protected_text, path);
  if (!root) {
    return fail(one_line(root.error().message));
  }
  Config config;
  config.path = path;
  ConfigReader reader(env, config.secrets, brackets);
  if (root->is_null()) {
    return fail(fmt::format("{}:1:1: the config is empty; add a \"checks:\" list", path));
  }
  if (!root->is_map()) {
    return fail(fmt::format("{}:{}:{}: the config must be a map with a \"checks:\" list", path, root->location.line,
                            root->location.column));
  }
  reader.check_keys(*root, Section::top);
  // First: it decides which values the rest of the config may show.
  if (const YamlNode* value = ConfigReader::get(*root, "public")) {
    read_public(reader, *value);
  }
  if (const YamlNode* value = ConfigReader::get(*root, "id")) {
    config.id = reader.string(*value, "id");
    if (config.id && (config.id->empty() || config.id->size() > 200)) {
      reader.error(*value, "\"id\" names this config in its issues' markers: 1 to 200 characters");
    }
  }
  if (const YamlNode* value = ConfigReader::get(*root, "concurrency")) {
    config.concurrency =
        static_cast<int>(reader.integer(*value, *find_key(Section::top, "concurrency")).value_or(config.concurrency));
  }
  if (const YamlNode* value = ConfigReader::get(*root, "schedule")) {
    config.schedule = reader.duration(*value, "schedule");
    if (config.schedule && *config.schedule < Millis(1000)) {
      reader.error(*value, "\"schedule\" must be at least 1s: it is how often runs are expected");
      config.schedule.reset();
    }
  }
  if (const YamlNode* value = ConfigReader::get(*root, "rdap_server")) {
    if (auto server = reader.string(*value, "rdap_server")) {
      if (auto parsed = parse_url(*server); !parsed) {
        reader.error(*value, fmt::format("\"rdap_server\": {}", parsed.error().message));
      } else {
        config.rdap_server = server->ends_with('/') ? *server : *server + "/";
      }
    }
  }
  if (const YamlNode* value = ConfigReader::get(*root, "control")) {
    config.control = reader.string(*value, "control");
    if (config.control) {
      if (auto parsed = parse_url(*config.control); !parsed) {
        reader.error(*value, fmt::format("\"control\": {}", parsed.error().message));
      }
    }
  }
  const YamlNode* defaults = ConfigReader::get(*root, "defaults");
  if (defaults != nullptr) {
    if (defaults->is_map()) {
      reader.check_keys(*defaults, Section::defaults);
    } else if (!defaults->is_null()) {
      reader.error(*defaults, "\"defaults\" must be a map, as in { timeout: 10s }");
      defaults = nullptr;
    }
  }
  if (const YamlNode* value = ConfigReader::get(*root, "issues")) {
    read_issues(reader, *value, config.issues);
  }
  const YamlNode* checks = ConfigReader::get(*root, "checks");
  if (checks == nullptr || checks->is_null() || (checks->is_sequence() && checks->items.empty())) {
    reader.error(checks != nullptr ? checks->location : root->location,
                 "no checks; add at least one under \"checks:\" with a name and a url");
  } else if (!checks->is_sequence()) {
    reader.error(*checks, "\"checks\" must be a list, each item starting with \"- name:\"");
  } else {
    for (std::size_t i = 0; i < checks->items.size(); ++i) {
      read_check(reader, checks->items[i], defaults, i, config);
    }
  }
  if (config.issues.late_after && !config.schedule) {
    const YamlNode* issues = ConfigReader::get(*root, "issues");
    const YamlNode* late = issues != nullptr && issues->is_map() ? ConfigReader::get(*issues, "late_after") : nullptr;
    reader.error(late != nullptr ? late->location : root->location,
                 "\"issues.late_after\" needs \"schedule:\" at the top level (how often runs are expected, e.g. "
                 "5m), to tell when a run is late");
  }
  std::unordered_map<std::string_view, const Check*> first_with_id;
  for (const Check& check : config.checks) {
    if (check.id.empty()) {
      continue;
    }
    if (check.id == k_late_runs_check) {
      reader.error(check.location, fmt::format("check id \"{}\" is reserved for the \"runs are late\" incident "
                                               "(issues.late_after); give this check another id",
                                               check.id));
    }
    const auto [first, inserted] = first_with_id.emplace(check.id, &check);
    if (!inserted) {
      reader.error(check.location,
                   fmt::format("duplicate check id \"{}\" (the first is at line {}); give one an explicit id", check.id,
                               first->second->location.line));
    }
  }
  if (const YamlNode* value = ConfigReader::get(*root, "maintenance")) {
    read_maintenance(reader, *value, config);
  }
  if (const YamlNode* value = ConfigReader::get(*root, "vantages")) {
    read_vantages(reader, *value, config);
  }
  config.files = reader.files();
  if (!reader.errors().empty()) {
    std::string message;
    for (const std::string& line : reader.errors()) {
      message += message.empty() ? "" : "\n";
      message += one_line(config.secrets.apply(line));
    }
    return fail(std::move(message));
  }
  return config;
}

}  // namespace pw
