#include <bot/import/import.hpp>

#include <bot/config/load.hpp>
#include <bot/core/duration.hpp>
#include <bot/core/text.hpp>
#include <bot/import/gatus_conditions.hpp>
#include <bot/import/import_support.hpp>
#include <bot/model/url.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <map>

namespace pw {

namespace {

using namespace import_detail;

// Gatus's defaults for an alert that does not set them.
constexpr int k_default_failure_threshold = 3;
constexpr int k_default_success_threshold = 2;

struct Thresholds {
  int failure = k_default_failure_threshold;
  int success = k_default_success_threshold;
  auto operator<=>(const Thresholds&) const = default;
};

std::string gatus_text(const YamlNode& node) { return scalar(node).value_or(shown(node)); }

void read_client(const YamlNode& client, ImportedCheck& check) {
  for (const auto& [key_node, value] : client.entries) {
    const std::string& key = key_node.scalar;
    if (key == "insecure") {
      check.insecure = value.scalar == "true";
    } else if (key == "ignore-redirect") {
      check.follow_redirects = value.scalar != "true";
    } else if (key == "timeout" && parse_duration(gatus_text(value))) {
      check.timeout = config_duration(parse_duration(gatus_text(value))->count());
    } else {
      check.notes.push_back(fmt::format("client.{} {}: not imported: no probewatch equivalent", key, shown(value)));
    }
  }
}

// Reads the endpoint's alerts; returns the thresholds of its enabled ones, if any.
std::optional<Thresholds> read_alerts(const YamlNode& alerts, ImportedCheck& check) {
  std::optional<Thresholds> found;
  for (const YamlNode& alert : alerts.items) {
    const YamlNode* type = get(alert, "type");
    const std::string kind = type != nullptr ? gatus_text(*type) : "without a type";
    const YamlNode* enabled = get(alert, "enabled");
    if (enabled != nullptr && enabled->scalar == "false") {
      check.notes.push_back(fmt::format("alert {}: not imported: enabled: false", kind));
      continue;
    }
    Thresholds thresholds;
    if (const YamlNode* value = get(alert, "failure-threshold"); value != nullptr && whole_number(*value)) {
      thresholds.failure = static_cast<int>(*whole_number(*value));
    }
    if (const YamlNode* value = get(alert, "success-threshold"); value != nullptr && whole_number(*value)) {
      thresholds.success = static_cast<int>(*whole_number(*value));
    }
    check.notes.push_back(
        fmt::format("alert {}: probewatch files a GitHub issue instead (failure-threshold {}, "
                    "success-threshold {})",
                    kind, thresholds.failure, thresholds.success));
    found = found ? std::min(*found, thresholds) : thresholds;
  }
  return found;
}

std::string to_upper_ascii(std::string text) {
  for (char& c : text) {
    c = c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
  }
  return text;
}

// A Gatus DNS endpoint: `url` is the server, `dns:` the question, conditions on [DNS_RCODE] and [BODY].
void read_dns_endpoint(const YamlNode& endpoint, const YamlNode& dns, ImportedCheck& check) {
  const std::string server = check.url;
  check.url = "dns://" + gatus_text(*get(dns, "query-name"));
  const YamlNode* type = get(dns, "query-type");
  const std::string record = type != nullptr ? to_upper_ascii(gatus_text(*type)) : "A";
  if (record != "A") {
    check.record = record;
  }
  check.dns_server = server;
  for (const auto& [key_node, value] : endpoint.entries) {
    const std::string& key = key_node.scalar;
    if (key == "name" || key == "url" || key == "enabled" || key == "dns" || key == "alerts") {
      continue;
    }
    if (key == "conditions" && value.is_sequence()) {
      for (const YamlNode& item : value.items) {
        const std::string condition = gatus_text(item);
        const std::size_t op = condition.find(" == ");
        const std::string left = op == std::string::npos ? "" : std::string(trim(condition.substr(0, op)));
        const std::string right = op == std::string::npos ? "" : std::string(trim(condition.substr(op + 4)));
        if (left == "[DNS_RCODE]") {
          check.rcode = to_upper_ascii(right);
        } else if (left == "[BODY]" && !right.starts_with("pat(") && !right.starts_with("any(")) {
          check.answers.push_back(right);
        } else if (condition != "[CONNECTED] == true") {
          check.notes.push_back(fmt::format("condition \"{}\": not imported: no probewatch equivalent", condition));
        }
      }
    } else if (key == "interval") {
      check.notes.push_back(
          fmt::format("interval {}: probewatch probes each time its workflow runs (see the "
                      "schedule note at the top)",
                      shown(value)));
    } else {
      check.notes.push_back(fmt::format("{} {}: not imported: no probewatch equivalent", key, shown(value)));
    }
  }
  if (check.rcode == "NOERROR") {
    check.rcode.reset();  // the default
  }
}

// The endpoint's kind when probewatch cannot probe it, as the note that says so.
std::optional<std::string> unsupported_kind(const YamlNode& endpoint, const std::string& url) {
  if (const YamlNode* dns = get(endpoint, "dns")) {
    const YamlNode* type = get(*dns, "query-type");
    const std::string record = type != nullptr ? to_upper_ascii(gatus_text(*type)) : "A";
    static constexpr std::array<std::string_view, 6> k_records = {"A", "AAAA", "CNAME", "MX", "TXT", "NS"};
    if (get(*dns, "query-name") == nullptr) {
      return std::string("dns: without query-name");
    }
    if (std::find(k_records.begin(), k_records.end(), record) == k_records.end()) {
      return fmt::format("DNS query of type {}: probewatch asks for A, AAAA, CNAME, MX, TXT or NS", record);
    }
    return std::nullopt;
  }
  const std::string lowered = to_lower(url);
  if (lowered.starts_with("http://") || lowered.starts_with("https://") || is_socket_url(url)) {
    return std::nullopt;
  }
  const std::size_t colon = lowered.find("://");
  const std::string scheme = colon == std::string::npos ? lowered : lowered.substr(0, colon);
  return fmt::format("{} endpoint {}: probewatch probes HTTP(S), tcp://, tls:// and dns:// only", scheme, url);
}

struct EndpointResult {
  ImportedCheck check;
  std::optional<Thresholds> thresholds;
  std::optional<Millis> interval;
};

EndpointResult read_endpoint(const YamlNode& endpoint, std::size_t index) {
  EndpointResult result;
  ImportedCheck& check = result.check;
  const YamlNode* name = get(endpoint, "name");
  const YamlNode* url = get(endpoint, "url");
  check.name = name != nullptr ? gatus_text(*name) : fmt::format("endpoint {}", index + 1);
  if (url == nullptr) {
    check.skipped = true;
    check.notes.push_back("it has no url");
    return result;
  }
  check.url = gatus_text(*url);
  if (const YamlNode* enabled = get(endpoint, "enabled"); enabled != nullptr && enabled->scalar == "false") {
    check.skipped = true;
    check.notes.push_back("enabled: false in Gatus");
    return result;
  }
  if (auto note = unsupported_kind(endpoint, check.url)) {
    check.skipped = true;
    check.notes.push_back(*note);
    return result;
  }
  if (const YamlNode* dns = get(endpoint, "dns")) {
    read_dns_endpoint(endpoint, *dns, check);
    if (const YamlNode* interval = get(endpoint, "interval")) {
      auto parsed = parse_duration(gatus_text(*interval));
      result.interval = parsed ? std::optional(*parsed) : std::nullopt;
    }
    if (const YamlNode* alerts = get(endpoint, "alerts"); alerts != nullptr && alerts->is_sequence()) {
      result.thresholds = read_alerts(*alerts, check);
    }
    if (!result.thresholds) {
      check.notes.push_back("no enabled alert in Gatus: probewatch files an issue whenever this check fails");
    }
    return result;
  }
  StatusSet status;
  for (const auto& [key_node, value] : endpoint.entries) {
    const std::string& key = key_node.scalar;
    if (key == "name" || key == "url" || key == "enabled") {
      continue;
    }
    if (key == "method") {
      const std::string method = gatus_text(value);
      check.method = to_lower(method) == "get" ? "" : method;
    } else if (key == "headers" && value.is_map()) {
      for (const auto& [header, header_value] : value.entries) {
        check.headers.emplace_back(header.scalar, gatus_text(header_value));
      }
    } else if (key == "body") {
      check.body = gatus_text(value);
    } else if (key == "conditions" && value.is_sequence()) {
      for (const YamlNode& condition : value.items) {
        translate_condition(gatus_text(condition), check, status);
      }
    } else if (key == "interval") {
      auto interval = parse_duration(gatus_text(value));
      result.interval = interval ? std::optional(*interval) : std::nullopt;
      check.notes.push_back(
          fmt::format("interval {}: probewatch probes each time its workflow runs (see the "
                      "schedule note at the top)",
                      shown(value)));
    } else if (key == "client" && value.is_map()) {
      read_client(value, check);
    } else if (key == "alerts" && value.is_sequence()) {
      result.thresholds = read_alerts(value, check);
    } else if (key == "group") {
      check.notes.push_back(fmt::format("group {}: not imported: probewatch has no groups", shown(value)));
    } else {
      check.notes.push_back(fmt::format("{} {}: not imported: no probewatch equivalent", key, shown(value)));
    }
  }
  if (!result.thresholds) {
    check.notes.push_back("no enabled alert in Gatus: probewatch files an issue whenever this check fails");
  }
  if (is_socket_url(check.url)) {
    return result;  // no HTTP status: [STATUS] conditions, if any, were noted above
  }
  // Gatus accepts any status unless a condition says otherwise; probewatch's default is 200-399.
  check.status = status.ranges();
  if (check.status.empty()) {
    check.notes.push_back("the [STATUS] conditions allow no status code; probewatch's default 200-399 is kept");
  }
  return result;
}

// Cron for a workflow that runs about every `interval`, GitHub's shortest schedule being 5 minutes.
std::string cron_for(Millis interval) {
  const long long minutes = std::max<long long>(5, interval.count() / 60'000);
  if (minutes < 60) {
    return fmt::format("*/{} * * * *", minutes);
  }
  const long long hours = std::min<long long>(24, minutes / 60);
  if (hours == 1) {
    return "0 * * * *";
  }
  return hours >= 24 ? "0 0 * * *" : fmt::format("0 */{} * * *", hours);
}

void read_gatus_top_level(const std::string& key, const YamlNode& value, ImportedConfig& config) {
  if (key == "alerting") {
    std::string providers;
    for (const auto& [provider, settings] : value.entries) {
      providers += (providers.empty() ? "" : ", ") + provider.scalar;
    }
    config.notes.push_back(
        fmt::format("alerting ({}): not imported: probewatch reports through GitHub issues, "
                    "which notify their watchers",
                    providers));
  } else if (key == "storage" || key == "web" || key == "ui" || key == "metrics") {
    config.notes.push_back(
        fmt::format("{}: not imported: probewatch keeps its state in GitHub issues and serves "
                    "nothing",
                    key));
  } else if (key == "maintenance") {
    config.notes.push_back(fmt::format("maintenance {}: not imported: no probewatch equivalent", shown(value)));
  } else {
    config.notes.push_back(fmt::format("{}: not imported: no probewatch equivalent", key));
  }
}

// Endpoints with the same name in different groups get the group in their id.
void disambiguate(const YamlNode& endpoints, ImportedConfig& config) {
  std::map<std::string, int> count;
  for (const ImportedCheck& check : config.checks) {
    count[slugify(check.name)] += check.skipped ? 0 : 1;
  }
  for (std::size_t i = 0; i < config.checks.size(); ++i) {
    ImportedCheck& check = config.checks[i];
    const YamlNode* group = get(endpoints.items[i], "group");
    if (!check.skipped && count[slugify(check.name)] > 1 && group != nullptr) {
      check.id = slugify(gatus_text(*group) + " " + check.name);
    }
  }
}

}  // namespace

Expected<std::string> import_gatus(std::string_view text, const std::string& file) {
  auto root = parse_yaml(text, file);
  if (!root) {
    return std::unexpected(root.error());
  }
  const YamlNode* endpoints = get(*root, "endpoints");
  if (endpoints == nullptr || !endpoints->is_sequence() || endpoints->items.empty()) {
    return fail(fmt::format("{}: no \"endpoints:\" list; is this a Gatus config.yaml?", file));
  }
  ImportedConfig config;
  config.source = fmt::format("Gatus {}", file);
  std::optional<Thresholds> thresholds;
  std::optional<Millis> shortest;
  std::size_t imported = 0;
  for (std::size_t i = 0; i < endpoints->items.size(); ++i) {
    if (!endpoints->items[i].is_map()) {
      return fail(fmt::format("{}:{}:{}: endpoints[{}] is not a map with a name and a url", file,
                              endpoints->items[i].location.line, endpoints->items[i].location.column, i));
    }
    EndpointResult result = read_endpoint(endpoints->items[i], i);
    if (!result.check.skipped) {
      ++imported;
      if (result.thresholds) {
        thresholds = thresholds ? std::min(*thresholds, *result.thresholds) : *result.thresholds;
      }
      if (result.interval) {
        shortest = shortest ? std::min(*shortest, *result.interval) : *result.interval;
      }
    }
    config.checks.push_back(std::move(result.check));
  }
  if (imported == 0) {
    return fail(fmt::format("{}: none of the {} endpoints has a probewatch equivalent; nothing to import", file,
                            endpoints->items.size()));
  }
  if (shortest) {
    config.notes.push_back(fmt::format("schedule: the shortest interval is {}; run the workflow on cron \"{}\"",
                                       config_duration(shortest->count()), cron_for(*shortest)));
  }
  if (thresholds) {
    config.failure_threshold = thresholds->failure;
    config.success_threshold = thresholds->success;
    config.notes.push_back("issues thresholds: the lowest failure-threshold of the alerts, and its success-threshold");
  }
  for (const auto& [key, value] : root->entries) {
    if (key.scalar != "endpoints") {
      read_gatus_top_level(key.scalar, value, config);
    }
  }
  disambiguate(*endpoints, config);
  assign_unique_ids(config);
  return render_imported(config);
}

}  // namespace pw
