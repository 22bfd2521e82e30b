#include <bot/config/keys.hpp>

#include <bot/core/text.hpp>

namespace pw {

namespace {

// Keys a check and `defaults` share: how to make the request and what to expect.
#define PW_REQUEST_KEYS                                                                                                \
  {"method", ValueType::string, "HTTP method: GET, HEAD, POST, PUT, PATCH, DELETE or OPTIONS.", "GET"},                \
      {"headers", ValueType::string_map, "Request headers; values may use ${NAME} from the environment.", ""},         \
      {"body", ValueType::string, "Request body, sent as is.", ""},                                                    \
      {"timeout", ValueType::duration,                                                                                 \
       "Total deadline for one attempt: DNS, connect, TLS, headers and body together.", "10s"},                        \
      {"retries", ValueType::integer, "Extra attempts within one run before the check counts as failed.", "2", 0, 10}, \
      {"retry_delay", ValueType::duration, "Wait before the first retry; doubles for each further retry.", "5s"},      \
      {"follow_redirects", ValueType::boolean, "Follow up to 10 redirects (loops are detected).", "true"},             \
      {"forward_headers", ValueType::boolean,                                                                          \
       "Send `headers` on when a redirect leads to another origin (never from https to http).", "false"},              \
      {"max_body_size", ValueType::size, "How much of the body to read; expectations judge what was read.", "1MiB"},   \
      {"ca_file", ValueType::string, "PEM file of the CA that signs a private endpoint's certificate.", ""},           \
      {"insecure", ValueType::boolean, "Skip TLS certificate verification (evidence is still recorded).", "false"},    \
      {"proxy", ValueType::string,                                                                                     \
       "HTTP proxy for this check (http://[user:password@]host:port), or none to connect directly; unset follows "     \
       "HTTPS_PROXY, HTTP_PROXY and NO_PROXY.",                                                                        \
       ""},                                                                                                            \
      {"send", ValueType::string, "tcp:// and tls://: a line written after connecting.", ""},                          \
      {"record", ValueType::string, "dns://: the record type asked for: A, AAAA, CNAME, MX, TXT or NS.", "A"},         \
      {"dns_server", ValueType::string, "dns://: IP:PORT of the server to ask; the system resolver when unset.", ""},  \
      {"expect", ValueType::expect, "What a passing response looks like.", ""},                                        \
      {"repo", ValueType::string, "owner/name of the repository that gets this check's issues.", ""},                  \
      {"labels", ValueType::string_list, "Extra labels for this check's incident issue.", ""},                         \
      {"assignees", ValueType::string_list, "Assignees for this check's incident (replace issues.assignees).", ""},    \
      {"cert_warning", ValueType::duration,                                                                            \
       "Open an early-warning incident (\"certificate expires soon\") when the certificate expires within this.", ""}, \
      {"domain_warning", ValueType::duration,                                                                          \
       "Open an early-warning incident (\"domain expires soon\") when the domain's registration expires within this "  \
       "(RDAP).",                                                                                                      \
       ""},                                                                                                            \
      {"domain", ValueType::string,                                                                                    \
       "The registered domain domain_warning asks about; default: the host's last two "                                \
       "labels.",                                                                                                      \
       ""},                                                                                                            \
      {"owners", ValueType::string_list,                                                                               \
       "Who is told when this check's incident opens: users (login) are assigned, teams (org/team) are mentioned "     \
       "once in the opening post.",                                                                                    \
       ""},                                                                                                            \
      {"type", ValueType::string, "GitHub issue type of this check's incident (an organization's type, e.g. Bug).",    \
       ""},                                                                                                            \
      {"quorum",                                                                                                       \
       ValueType::integer,                                                                                             \
       "run --reports: how many vantages must fail to open an incident, and pass to close it (overrides --quorum).",   \
       "",                                                                                                             \
       1,                                                                                                              \
       100},                                                                                                           \
      {"version", ValueType::string,                                                                                   \
       "Where the check reads the version it serves: a JSON Pointer into the body (/version) or a header "             \
       "(header x-app-version). Named in recovery notes; on a deployment_status run it must name the deployed "        \
       "commit or ref.",                                                                                               \
       ""},                                                                                                            \
      {"deploy_grace", ValueType::duration,                                                                            \
       "On a deployment_status run, a failure within this long of the deployment's start is deploying: it opens no "   \
       "incident. Unset: no grace.",                                                                                   \
       ""},                                                                                                            \
  {                                                                                                                    \
    "wait_for", ValueType::wait_for,                                                                                   \
        "Poll until the expectations pass (deploy verification): true, or { timeout, interval }.", ""                  \
  }

constexpr KeyInfo k_top[] = {
    {"concurrency", ValueType::integer, "How many checks are probed at once.", "16", 1, 256},
    {"control", ValueType::url,
     "A URL that should always answer. When it and every check fail at the network level, the runner's own "
     "network is down: nothing is filed and the run exits with code 4.",
     ""},
    {"defaults", ValueType::defaults, "Settings merged into every check.", ""},
    {"issues", ValueType::issues, "How incident issues are filed and kept.", ""},
    {"checks", ValueType::checks, "The endpoints to probe.", ""},
    {"maintenance", ValueType::maintenance,
     "Maintenance windows: while one covers a check, its failures open no incident and send no reminder.", ""},
    {"id", ValueType::string,
     "Identity of this config: its incidents and dashboard carry it, so configs sharing a label never touch each "
     "other's issues. Defaults to the config file's path relative to the repository root.",
     ""},
    {"public", ValueType::string_list,
     "Environment variables whose ${NAME} values are shown, not redacted as secrets (GITHUB_* but GITHUB_TOKEN, "
     "and RUNNER_*, always are).",
     "[]"},
    {"schedule", ValueType::duration,
     "How often runs are expected (your workflow's cron, e.g. 5m). A run that finds the previous one more than "
     "twice this ago records a monitoring gap in the dashboard. Unset: no gap tracking.",
     ""},
    {"vantages", ValueType::vantages,
     "The vantage points (jobs) whose reports run --reports combines; a declared vantage without a fresh report is "
     "unknown.",
     ""},
    {"rdap_server", ValueType::url,
     "The RDAP service domain_warning asks for registrations (GET SERVER/domain/NAME); rdap.org redirects to each "
     "registry's.",
     "https://rdap.org/"},
};

constexpr KeyInfo k_defaults[] = {PW_REQUEST_KEYS};

constexpr KeyInfo k_check[] = {
    {"id", ValueType::string, "Stable identity of the check (its issue is found by it); defaults to a slug of name.",
     ""},
    {"name", ValueType::string, "Name people see in issues and reports.", ""},
    {"url", ValueType::url,
     "http:// or https:// URL to probe, or tcp://HOST:PORT, tls://HOST:PORT or dns://NAME; may use ${NAME}.", ""},
    {"chart", ValueType::boolean,
     "Chart this check's response times on the dashboard and the status page (else the 5 slowest are charted).",
     "false"},
    PW_REQUEST_KEYS,
};

constexpr KeyInfo k_issues[] = {
    {"labels", ValueType::string_list, "Labels for incidents; the first marks the issues the bot manages.",
     "[probewatch]"},
    {"assignees", ValueType::string_list, "Users assigned to new incidents.", "[]"},
    {"milestone", ValueType::integer, "Milestone number for new incidents.", "", 1, 0},
    {"failure_threshold", ValueType::integer, "Failing runs in a row before an issue opens.", "1", 1, 1000},
    {"success_threshold", ValueType::integer, "Passing runs in a row before the issue closes.", "1", 1, 1000},
    {"reminder", ValueType::duration, "At most one \"still failing\" comment per interval.", "24h"},
    {"reopen_window", ValueType::duration,
     "Reopen an incident the bot closed this recently instead of opening a new one.", "6h"},
    {"refresh", ValueType::duration,
     "While a check keeps failing the same way, rewrite its issue's evidence at most once per interval.", "6h"},
    {"late_after", ValueType::duration,
     "Open one \"probewatch runs are late\" incident when a run starts this much later than `schedule` expects; "
     "it closes when runs are on time again. Unset: gaps are only recorded.",
     ""},
    {"change_throttle", ValueType::duration,
     "At most one \"the failure changed\" comment per interval; the body shows each change at once.", "1h"},
    {"write_budget", ValueType::integer,
     "New issues and comments one run may write; new incidents past it wait for the next run.", "80", 1, 10000},
    {"hourly_write_budget", ValueType::integer,
     "New issues and comments this config's runs may write per hour (GitHub allows 500 per token); new incidents "
     "past it wait.",
     "500", 1, 100000},
    {"trusted_authors", ValueType::string_list,
     "Authors whose probewatch markers are believed besides the token's own login (for a change of token).",
     "[github-actions[bot]]"},
    {"dashboard", ValueType::boolean, "Keep one dashboard issue with a status table and the counts that outlive a run.",
     "true"},
    {"templates", ValueType::string, "Folder with templates that override the defaults (issue.md, ...).", ""},
    {"maintenance_label", ValueType::string,
     "An open issue with this label and the bot label pauses the checks its body names (checks: a, b or checks: "
     "all) until it is closed.",
     "maintenance"},
};

constexpr KeyInfo k_expect[] = {
    {"status", ValueType::status_list, "Accepted status codes and ranges.", "200-399"},
    {"max_response_time", ValueType::duration, "Slowest acceptable response.", ""},
    {"degraded_response_time", ValueType::duration,
     "Slower than this, a passing check is marked degraded (shown, but opens no incident).", ""},
    {"body_contains", ValueType::string, "Text the body must contain.", ""},
    {"body_matches", ValueType::string, "ECMAScript regular expression the body must match.", ""},
    {"json", ValueType::json_map, "JSON Pointer (RFC 6901) mapped to the scalar expected there.", ""},
    {"headers", ValueType::regex_map, "Response header name mapped to a regular expression its value must match.", ""},
    {"cert_days_left", ValueType::integer, "Fewest days the TLS certificate chain may have left.", "", 0, 3650},
    {"reply_matches", ValueType::string, "tcp:// and tls://: regular expression the peer's reply must match.", ""},
    {"answers", ValueType::string_list, "dns://: values the answer must include.", ""},
    {"rcode", ValueType::string, "dns://: the expected response code (NOERROR, NXDOMAIN, SERVFAIL, ...).", "NOERROR"},
};

constexpr KeyInfo k_wait_for[] = {
    {"timeout", ValueType::duration, "Give up after this long.", "10m"},
    {"interval", ValueType::duration, "Time between polls.", "10s"},
};

constexpr KeyInfo k_maintenance[] = {
    {"name", ValueType::string, "Name people see on the dashboard.", ""},
    {"checks", ValueType::string_list, "Ids of the checks the window covers; every check when omitted.", ""},
    {"start", ValueType::timestamp, "A one-off window's start, ISO 8601 with Z or an offset.", ""},
    {"end", ValueType::timestamp, "A one-off window's end (exclusive).", ""},
    {"cron", ValueType::string, "A recurring window's start times: five cron fields, as in \"0 2 * * SUN\".", ""},
    {"duration", ValueType::duration, "How long a recurring window lasts (at most 7d).", ""},
    {"timezone", ValueType::string, "tz database name the cron times are read in, as in Europe/Berlin.", "UTC"},
};

constexpr KeyInfo k_vantage[] = {
    {"name", ValueType::string, "The name its job passes to check --vantage.", ""},
    {"network", ValueType::string,
     "inside or outside the private network the checks live in; names the edge or the internal network in hints.", ""},
};

#undef PW_REQUEST_KEYS

}  // namespace

std::span<const KeyInfo> keys_of(Section section) {
  switch (section) {
    case Section::top: return k_top;
    case Section::defaults: return k_defaults;
    case Section::check: return k_check;
    case Section::issues: return k_issues;
    case Section::expect: return k_expect;
    case Section::wait_for: return k_wait_for;
    case Section::maintenance: return k_maintenance;
    case Section::vantage: return k_vantage;
  }
  return {};
}

const KeyInfo* find_key(Section section, std::string_view name) {
  for (const KeyInfo& key : keys_of(section)) {
    if (key.name == name) {
      return &key;
    }
  }
  return nullptr;
}

std::string_view suggest_key(Section section, std::string_view name) {
  std::string_view best;
  std::size_t best_distance = 0;
  const std::string lowered = to_lower(name);
  for (const KeyInfo& key : keys_of(section)) {
    const std::size_t distance = edit_distance(lowered, key.name);
    if (best.empty() || distance < best_distance) {
      best = key.name;
      best_distance = distance;
    }
  }
  // A typo, not a different word: at most a third of the letters differ.
  return best_distance <= std::max<std::size_t>(1, name.size() / 3) ? best : std::string_view();
}

std::string_view section_name(Section section) {
  switch (section) {
    case Section::top: return "the top level";
    case Section::defaults: return "defaults";
    case Section::check: return "a check";
    case Section::issues: return "issues";
    case Section::expect: return "expect";
    case Section::wait_for: return "wait_for";
    case Section::maintenance: return "a maintenance window";
    case Section::vantage: return "a vantage";
  }
  return "";
}

}  // namespace pw
