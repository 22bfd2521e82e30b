#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace pw {

// One check as an importer translated it, before it is written out as probewatch YAML.
// Values are kept as the text they will have in the file (durations as "300ms", status codes
// as "200" or "200-299").
struct ImportedCheck {
  std::string id;  // empty: the loader derives it from the name
  std::string name;
  std::string url;
  std::string method;  // empty: GET
  std::vector<std::pair<std::string, std::string>> headers;
  std::optional<std::string> body;
  std::optional<std::string> timeout;
  std::optional<bool> follow_redirects;
  bool insecure = false;
  std::vector<std::string> assignees;
  std::optional<std::string> repo;
  std::optional<std::string> record;      // dns://
  std::optional<std::string> dns_server;  // dns://
  // expect:
  std::vector<std::string> status;
  std::optional<std::string> max_response_time;
  std::optional<std::string> degraded_response_time;
  std::optional<std::string> body_contains;
  std::optional<std::string> body_matches;
  std::vector<std::pair<std::string, std::string>> json;  // JSON Pointer -> value
  std::vector<std::pair<std::string, std::string>> expect_headers;
  std::optional<int> cert_days_left;
  std::vector<std::string> answers;  // dns://
  std::optional<std::string> rcode;  // dns://
  // What was not translated, and why; written as comments inside the check.
  std::vector<std::string> notes;
  // A source entry with no equivalent kind: written as comments only, so the output still loads.
  bool skipped = false;
};

// A whole imported config: notes for the top of the file, shared settings and the checks.
struct ImportedConfig {
  std::string source;  // "Upptime .upptimerc.yml", for the first comment line
  std::vector<std::string> notes;
  std::vector<std::pair<std::string, std::string>> default_headers;
  std::vector<std::string> issue_assignees;
  std::optional<int> failure_threshold;
  std::optional<int> success_threshold;
  std::vector<ImportedCheck> checks;
};

// Returns the probewatch config text for `config`: YAML that `probewatch validate` accepts
// when every check that is not skipped has a name (or id) and a url.
std::string render_imported(const ImportedConfig& config);

// Returns `text` as a YAML scalar: plain when it reads back as the same string, otherwise
// double-quoted with escapes.
std::string yaml_string(const std::string& text);

// Returns a duration of whole milliseconds written the way the config reads it: "300ms",
// "10s", "5m", "1h30m".
std::string config_duration(long long millis);

}  // namespace pw
