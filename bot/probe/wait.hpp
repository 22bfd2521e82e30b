#pragma once

#include <bot/probe/probe_all.hpp>

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace pw {

// How a deploy wait ended for one check.
struct WaitSummary {
  bool passed = false;
  Millis waited{0};  // from the first probe to the passing poll, or to the deadline
  int polls = 0;     // probes after the first
  std::string last;  // when it never passed: what the last poll saw instead (the stale value)
};

// Polls the failing checks that wait (their wait_for, else `default_wait`) every interval until
// they pass or their deadline passes, replacing their results with the last poll's. Waits go
// through `clock`. Returns a summary for every check that waited.
std::map<std::string, WaitSummary> wait_until_passing(const std::vector<Check>& checks,
                                                      std::vector<CheckResult>& results, Prober& prober, Clock& clock,
                                                      const ProbeOptions& options,
                                                      const std::optional<WaitFor>& default_wait);

}  // namespace pw
