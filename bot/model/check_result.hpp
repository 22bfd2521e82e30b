#pragma once

#include <bot/core/duration.hpp>
#include <bot/model/evidence.hpp>
#include <bot/model/vantage.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace pw {

// One expectation the evidence did not meet.
struct FailedExpectation {
  std::string key;      // what failed, stable across runs: "status:404", "json:/status", ...
  std::string message;  // one line with the actual value: "status 404 not in [200]"
};

// When one attempt ran and what it saw, so an issue can say how many attempts failed and when.
struct AttemptNote {
  TimePoint at;
  bool ok = false;
  std::string outcome;  // "status 503 not in [200-399]", "timeout: ...", "passed"
};

// The verdict on one check after all its attempts in this run.
struct CheckResult {
  std::string id;
  bool ok = false;
  int attempts = 0;
  std::vector<AttemptNote> tries;  // one per attempt, in order
  Evidence evidence;               // of the last attempt; body cut to k_kept_body_bytes
  std::vector<FailedExpectation> failed;
  bool degraded = false;        // passed, but slower than expect.degraded_response_time; opens no incident
  std::string degraded_reason;  // "response time 950ms over degraded_response_time 800ms" when degraded
  // Set when the result combines vantage reports (run --reports): how each vantage saw the check.
  // Without a verdict (too few vantages known), the result is not ok and opens or closes nothing.
  std::optional<QuorumVerdict> vantages;

  // True when vantage reports left this check without a verdict this run.
  // Nothing is known this run (an early warning whose probe saw no certificate): the same.
  bool no_verdict = false;
  bool undecided() const { return no_verdict || (vantages && !vantages->decided); }

  std::string served_version;  // what the check's `version:` read from the response (cut, printable); empty when none
};

// Bodies kept in results after judging, so thousands of checks stay small in memory.
inline constexpr std::size_t k_kept_body_bytes = 64 * 1024;

// How a deploy wait ended for one check.
struct WaitSummary {
  bool passed = false;
  Millis waited{0};  // from the first probe to the passing poll, or to the deadline
  int polls = 0;     // probes after the first
  std::string last;  // when it never passed: what the last poll saw instead (the stale value)
};

}  // namespace pw
