#pragma once

#include <bot/core/duration.hpp>
#include <bot/core/regex.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace pw {

// Where a value came from in the config file, for messages.
struct SourceLocation {
  std::string file;
  int line = 0;    // 1-based; 0 when unknown
  int column = 0;  // 1-based
};

// An inclusive range of HTTP status codes; a single code has low == high.
struct StatusRange {
  int low = 0;
  int high = 0;
  bool contains(int status) const { return status >= low && status <= high; }
};

// A comparison of a JSON value (or its length) with a number: "< 100", ">= 1.5", "len > 0".
struct NumericComparison {
  enum class Op { less, less_equal, greater, greater_equal, equal, not_equal };
  Op op = Op::equal;
  double operand = 0;
  bool length = false;  // compares the number of items of an array or object, or of bytes of a string
};

struct JsonExpectation {
  std::string pointer;                          // as written, e.g. "/status"
  std::vector<std::string> tokens;              // parsed reference tokens
  std::string expected;                         // the scalar as text ("healthy", "42", "true", "null", "< 100")
  bool expected_is_string = true;               // false for YAML numbers, booleans and null
  std::optional<NumericComparison> comparison;  // set: `expected` is a comparison such as "< 100"
};

struct HeaderExpectation {
  std::string name;              // lower-case
  std::optional<Regex> pattern;  // nullopt: the header must be absent
};

// Where a check reads the version it serves (config `version:`): a JSON Pointer into the body
// ("/build/sha"), or a response header ("header x-app-version").
struct VersionSource {
  std::string text;                 // as written, for messages
  std::vector<std::string> tokens;  // the pointer's reference tokens, when from the body
  std::string header;               // the header's lower-case name, when from a header
};

// The deploy a check must serve, set for the checks with `version:` when a run is on a
// deployment_status event: the served version must name the deployed commit or ref.
struct ExpectedDeploy {
  VersionSource source;
  std::string sha;  // the deployed commit
  std::string ref;  // the deployed branch or tag ("v1.4.2"), may be empty
};

// The `expect:` block of a check.
struct Expect {
  std::vector<StatusRange> status{{200, 399}};
  std::optional<Millis> max_response_time;
  std::optional<Millis> degraded_response_time;  // slower passes, but is marked degraded
  std::optional<std::string> body_contains;
  std::optional<Regex> body_matches;
  std::vector<JsonExpectation> json;
  std::vector<HeaderExpectation> headers;
  std::optional<int> cert_days_left;
  std::optional<Regex> reply_matches;    // tcp:// and tls://: what the peer sends back (after `send`)
  std::vector<std::string> answers;      // dns://: values the answer must include
  std::optional<std::string> rcode;      // dns://: the expected response code; NOERROR when unset
  std::optional<ExpectedDeploy> deploy;  // set on a deployment_status run (not a config key)
};

// Someone told when an incident opens: a user (assigned) or a team (mentioned, as GitHub cannot
// assign teams).
struct Owner {
  std::string name;  // "alice", or "acme/payments" for a team
  bool team = false;

  friend bool operator==(const Owner&, const Owner&) = default;
};

// Deploy verification: poll until the expectations pass or the deadline passes.
struct WaitFor {
  Millis timeout{Millis(10 * 60 * 1000)};
  Millis interval{Millis(10 * 1000)};
};

// The id of the incident that says runs are late (issues.late_after); no check may take it.
inline constexpr const char* k_late_runs_check = "probewatch-runs";

// The early-warning incident of check X is the check "X:certificate": apart from "X is failing",
// so a person can plan a renewal. ':' never occurs in a configured check id.
inline constexpr std::string_view k_certificate_warning_suffix = ":certificate";
// And "X:domain" for the domain's registration (RDAP).
inline constexpr std::string_view k_domain_warning_suffix = ":domain";

// Returns the configured check an id belongs to: "api" for "api:certificate" and "api:domain",
// else the id itself.
inline std::string_view base_check_id(std::string_view id) {
  for (const std::string_view suffix : {k_certificate_warning_suffix, k_domain_warning_suffix}) {
    if (id.ends_with(suffix)) {
      id.remove_suffix(suffix.size());
      break;
    }
  }
  return id;
}

// True for the checks probewatch makes itself (the late-runs check, early warnings): no deploy
// serves them, so no recovery of theirs is credited to one.
inline bool derived_check(std::string_view id) { return id == k_late_runs_check || base_check_id(id) != id; }

// One endpoint to probe, with `defaults` already merged in.
struct Check {
  std::string id;
  std::string name;
  std::string url;
  std::string method = "GET";
  std::vector<std::pair<std::string, std::string>> headers;
  std::optional<std::string> body;
  Millis timeout{Millis(10'000)};
  int retries = 2;
  Millis retry_delay{Millis(5'000)};
  bool follow_redirects = true;
  bool forward_headers = false;  // send `headers` on to another origin on redirect (never https -> http)
  std::size_t max_body_bytes = 1024 * 1024;
  std::optional<std::string> ca_file;
  bool insecure = false;
  std::optional<std::string> proxy;       // "none", or a proxy URL; unset follows HTTP(S)_PROXY and NO_PROXY
  std::optional<std::string> send;        // tcp:// and tls://: a line written after connecting
  std::string record = "A";               // dns://: A, AAAA, CNAME, MX, TXT or NS
  std::optional<std::string> dns_server;  // dns://: "127.0.0.1:5353"; the system resolver when unset
  Expect expect;
  std::optional<std::string> repo;  // owner/name its issues go to; the run's repo when unset
  std::optional<WaitFor> wait_for;
  // `cert_warning:`: open an early-warning incident when the certificate expires within this.
  std::optional<Millis> cert_warning;
  // `domain_warning:`: open an early-warning incident when the domain's registration expires
  // within this, as its registry's RDAP server says; `domain:` names it (default: the host's last
  // two labels).
  std::optional<Millis> domain_warning;
  std::optional<std::string> domain;
  // Set on an early-warning check (made from a configured one): what its incident's title says
  // instead of "is failing": "API health certificate expires soon".
  std::string early_warning;
  std::vector<std::string> labels;        // added to this check's incident, after the policy's
  std::vector<std::string> assignees;     // replaces the policy's when non-empty
  std::vector<Owner> owners;              // told when the incident opens: users assigned, teams mentioned
  std::optional<std::string> issue_type;  // `type:`, GitHub's issue type name
  std::optional<int> quorum;              // run --reports: failing vantages that open an incident (else --quorum)
  std::optional<VersionSource> version;   // where the served version is read, for deploys and recovery notes
  std::optional<Millis> deploy_grace;     // while a deploy is this young, a failure is "deploying"
  bool chart = false;                     // chart its response times on the dashboard and the status page
  SourceLocation location;
};

}  // namespace pw
