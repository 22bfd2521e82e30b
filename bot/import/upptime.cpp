#include <bot/import/import.hpp>

#include <bot/core/text.hpp>
#include <bot/import/import_support.hpp>

#include <fmt/format.h>

namespace pw {

namespace {

using namespace import_detail;

// Upptime replaces $NAME with a secret of that name; probewatch writes ${NAME}.
std::string substitute_references(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    const bool starts_name =
        c == '$' && i + 1 < text.size() && ((text[i + 1] >= 'A' && text[i + 1] <= 'Z') || text[i + 1] == '_');
    if (!starts_name) {
      out += c;
      continue;
    }
    std::size_t end = i + 1;
    while (end < text.size() &&
           ((text[end] >= 'A' && text[end] <= 'Z') || (text[end] >= '0' && text[end] <= '9') || text[end] == '_')) {
      ++end;
    }
    out += fmt::format("${{{}}}", text.substr(i + 1, end - i - 1));
    i = end - 1;
  }
  return out;
}

std::string upptime_text(const YamlNode& node) { return substitute_references(scalar(node).value_or(shown(node))); }

void read_headers(const YamlNode& node, ImportedCheck& check) {
  if (!node.is_sequence()) {
    check.notes.push_back(
        fmt::format("headers {}: not imported: Upptime writes them as a list of \"Name: value\"", shown(node)));
    return;
  }
  for (const YamlNode& item : node.items) {
    const std::string line = scalar(item).value_or("");
    const std::size_t colon = line.find(':');
    if (colon == std::string::npos || colon == 0) {
      check.notes.push_back(fmt::format("header {}: not imported: it is not \"Name: value\"", shown(item)));
      continue;
    }
    check.headers.emplace_back(std::string(trim(line.substr(0, colon))),
                               substitute_references(trim(line.substr(colon + 1))));
  }
}

void read_status_codes(const YamlNode& node, ImportedCheck& check) {
  const std::vector<YamlNode> items = node.is_sequence() ? node.items : std::vector<YamlNode>{node};
  for (const YamlNode& item : items) {
    const std::optional<long long> code = whole_number(item);
    if (!code || *code < 100 || *code > 599) {
      check.notes.push_back(fmt::format("expectedStatusCodes entry {}: not imported: not a status code", shown(item)));
      continue;
    }
    check.status.push_back(std::to_string(*code));
  }
}

// Translates one option of a site; returns false when the key is not an Upptime site option.
bool read_site_option(const std::string& key, const YamlNode& value, ImportedCheck& check) {
  if (key == "method") {
    check.method = to_lower(upptime_text(value)) == "get" ? "" : upptime_text(value);
  } else if (key == "headers") {
    read_headers(value, check);
  } else if (key == "body") {
    check.body = upptime_text(value);
  } else if (key == "expectedStatusCodes") {
    read_status_codes(value, check);
  } else if (key == "maxResponseTime") {
    if (const std::optional<long long> millis = whole_number(value)) {
      check.degraded_response_time = config_duration(*millis);
    } else {
      check.notes.push_back(
          fmt::format("maxResponseTime {}: not imported: not a number of milliseconds", shown(value)));
    }
  } else if (key == "maxRedirects") {
    if (whole_number(value) == 0) {
      check.follow_redirects = false;
    } else {
      check.notes.push_back(
          fmt::format("maxRedirects {}: not imported: probewatch follows up to 10 redirects", shown(value)));
    }
  } else if (key == "__dangerous__insecure" || key == "__dangerous__disable_verify_peer" ||
             key == "__dangerous__disable_verify_host") {
    check.insecure = check.insecure || value.scalar == "true";
  } else if (key == "__dangerous__body_down_if_text_missing") {
    check.body_contains = upptime_text(value);
  } else if (key == "__dangerous__body_down") {
    check.body_matches = fmt::format("^(?![\\s\\S]*{})", regex_escape(upptime_text(value)));
  } else if (key == "__dangerous__body_degraded" || key == "__dangerous__body_degraded_if_text_missing") {
    check.notes.push_back(
        fmt::format("{} {}: not imported: probewatch has no degraded level for body text", key, shown(value)));
  } else if (key == "assignees") {
    for (const YamlNode& item : value.is_sequence() ? value.items : std::vector<YamlNode>{value}) {
      check.assignees.push_back(shown(item));
    }
  } else if (key == "slug") {
    check.id = upptime_text(value);
  } else if (key == "icon") {
    check.notes.push_back(fmt::format("icon {}: not imported: probewatch has no status website", shown(value)));
  } else if (key == "ipv6") {
    check.notes.push_back(
        fmt::format("ipv6 {}: not imported: probewatch connects to every address the name "
                    "resolves to, in order",
                    shown(value)));
  } else if (key == "type" || key == "location") {
    check.notes.push_back(
        fmt::format("{} {}: not imported: probewatch probes from the runner it runs on", key, shown(value)));
  } else if (key == "verbose") {
    check.notes.push_back(
        fmt::format("verbose {}: not imported: probewatch always records the evidence", shown(value)));
  } else {
    return false;
  }
  return true;
}

ImportedCheck read_site(const YamlNode& site, std::size_t index) {
  ImportedCheck check;
  const YamlNode* name = get(site, "name");
  const YamlNode* url = get(site, "url");
  check.name = name != nullptr ? upptime_text(*name) : fmt::format("site {}", index + 1);
  const std::string target = url != nullptr ? upptime_text(*url) : "";
  const YamlNode* kind_node = get(site, "check");
  const std::string kind = kind_node != nullptr ? upptime_text(*kind_node) : "http";
  const YamlNode* port = get(site, "port");
  if (url == nullptr) {
    check.skipped = true;
    check.notes.push_back("it has no url");
    return check;
  }
  if (kind == "tcp-ping") {
    const std::optional<long long> number = port != nullptr ? whole_number(*port) : std::nullopt;
    if (!number) {
      check.skipped = true;
      check.notes.push_back(fmt::format("check: tcp-ping to {}: it needs a port", target));
      return check;
    }
    check.url = fmt::format("tcp://{}:{}", target, *number);
  } else if (kind != "http") {
    check.skipped = true;
    check.notes.push_back(
        fmt::format("check: {} ({}): probewatch probes HTTP(S), tcp://, tls:// and dns:// only", kind, target));
    return check;
  } else {
    check.url = target;
    if (port != nullptr) {
      check.notes.push_back(fmt::format("port {}: not imported: write the port in the url", shown(*port)));
    }
  }
  for (const auto& [key_node, value] : site.entries) {
    const std::string key = key_node.scalar;
    if (key == "name" || key == "url" || key == "check" || key == "port") {
      continue;
    }
    if (!read_site_option(key, value, check)) {
      check.notes.push_back(
          fmt::format("{} {}: not imported: not an Upptime site option probewatch knows", key, shown(value)));
    }
  }
  return check;
}

void read_upptime_top_level(const std::string& key, const YamlNode& value, ImportedConfig& config) {
  if (key == "owner" || key == "repo") {
    config.notes.push_back(
        fmt::format("{}: {}: not needed: probewatch files issues in the repository its workflow "
                    "runs in (or the one --repo names)",
                    key, shown(value)));
  } else if (key == "user-agent") {
    config.default_headers.emplace_back("User-Agent", upptime_text(value));
  } else if (key == "assignees") {
    for (const YamlNode& item : value.is_sequence() ? value.items : std::vector<YamlNode>{value}) {
      config.issue_assignees.push_back(shown(item));
    }
  } else if (key == "workflowSchedule") {
    const YamlNode* uptime = get(value, "uptime");
    config.notes.push_back(
        uptime != nullptr
            ? fmt::format("workflowSchedule.uptime \"{}\": put it in the workflow's on.schedule cron; probewatch "
                          "probes each time its workflow runs",
                          shown(*uptime))
            : "workflowSchedule: not imported: probewatch probes each time its workflow runs (on.schedule)");
  } else if (key == "status-website") {
    config.notes.push_back("status-website: not imported: probewatch keeps a dashboard issue, not a website");
  } else if (key == "notifications") {
    config.notes.push_back(
        "notifications: not imported: probewatch reports through GitHub issues, which notify their watchers");
  } else {
    config.notes.push_back(fmt::format("{}: not imported: no probewatch equivalent", key));
  }
}

}  // namespace

Expected<std::string> import_upptime(std::string_view text, const std::string& file) {
  auto root = parse_yaml(text, file);
  if (!root) {
    return std::unexpected(root.error());
  }
  const YamlNode* sites = get(*root, "sites");
  if (sites == nullptr || !sites->is_sequence() || sites->items.empty()) {
    return fail(fmt::format("{}: no \"sites:\" list; is this an Upptime .upptimerc.yml?", file));
  }
  ImportedConfig config;
  config.source = fmt::format("Upptime {}", file);
  for (const auto& [key, value] : root->entries) {
    if (key.scalar != "sites") {
      read_upptime_top_level(key.scalar, value, config);
    }
  }
  std::size_t imported = 0;
  for (std::size_t i = 0; i < sites->items.size(); ++i) {
    if (!sites->items[i].is_map()) {
      return fail(fmt::format("{}:{}:{}: sites[{}] is not a map with a name and a url", file,
                              sites->items[i].location.line, sites->items[i].location.column, i));
    }
    config.checks.push_back(read_site(sites->items[i], i));
    imported += config.checks.back().skipped ? 0 : 1;
  }
  if (imported == 0) {
    return fail(fmt::format("{}: none of the {} sites has a probewatch equivalent; nothing to import", file,
                            sites->items.size()));
  }
  assign_unique_ids(config);
  return render_imported(config);
}

}  // namespace pw
