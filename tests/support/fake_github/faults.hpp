#pragma once

#include <github_client/clock.hpp>
#include <github_client/transport.hpp>

#include <nlohmann/json.hpp>

#include <chrono>
#include <expected>
#include <optional>
#include <string>
#include <string_view>

namespace pw::test {

enum class FaultKind {
  http_500,
  http_502,
  http_503,
  unauthorized,       // 401 Bad credentials
  forbidden,          // 403 Resource not accessible by integration
  secondary_limit,    // 403 secondary rate limit; retry-after only when `retry_after` is set
  primary_limit,      // 403 with x-ratelimit-remaining 0 and a reset `retry_after` (default 60) s ahead
  too_many_requests,  // 429; retry-after only when `retry_after` is set
  gone,               // 410 issues disabled
  validation,         // 422 Validation Failed (custom error)
  reset,              // the connection closes without a (complete) response
  timeout,            // no response within the client's timeout
  refuse,             // the connection is refused: the request never reaches the server
};

// One scripted failure: which requests it hits, and when.
struct FaultRule {
  FaultKind fault = FaultKind::http_500;
  std::string method;     // "GET", "POST", ...; empty matches any
  std::string path;       // substring of the path without the API prefix; empty matches any
  std::string query;      // substring of the raw query, e.g. "page=2"; empty matches any
  std::string operation;  // "list_issues", "create_issue", "update_issue", "get_issue", "list_comments",
                          // "create_comment", "list_labels", "create_label", "add_labels"; empty matches any
  int nth = 1;            // first matching request it fires on (1-based)
  int times = 1;          // how many matching requests in a row it fires on; 0 for every one from nth on
  // Apply the request, then fail: for 5xx, rate limits, reset and timeout. Ignored by 401, 403,
  // 410, 422 and refuse, which stand for GitHub refusing the request outright.
  bool after_apply = false;
  std::optional<int> retry_after;         // seconds; see FaultKind
  std::chrono::milliseconds delay{2000};  // timeout: how long a real server holds the connection
  int matched = 0;                        // bookkeeping: matching requests seen so far
  int fired = 0;                          // bookkeeping: times fired so far
};

// Returns the control-API name of a fault: "500", "reset", "secondary_limit", ...
std::string_view fault_name(FaultKind kind);

// Parses a control-API fault name; fails naming the accepted ones.
std::expected<FaultKind, std::string> parse_fault_name(std::string_view name);

// Reads a rule from the control API's JSON: {"fault":"reset","method":"POST","after_apply":true,...}.
std::expected<FaultRule, std::string> fault_rule_from_json(const nlohmann::json& value);

// Writes a rule, bookkeeping included.
nlohmann::json to_json(const FaultRule& rule);

// Returns true when `rule` applies to this request (ignoring nth/times).
bool fault_matches(const FaultRule& rule, std::string_view method, std::string_view path, std::string_view query,
                   std::string_view operation);

// Returns the HTTP response of a status fault (not reset, timeout or refuse), shaped like GitHub's.
github::HttpResponse fault_response(const FaultRule& rule, github::TimePoint now);

}  // namespace pw::test
