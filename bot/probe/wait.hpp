#pragma once

#include <bot/probe/probe_all.hpp>

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace pw {

// Polls the failing checks that wait (their wait_for, else `default_wait`) every interval until
// they pass or their deadline passes, replacing their results with the last poll's. Waits go
// through `clock`. Returns a summary for every check that waited.
std::map<std::string, WaitSummary> wait_until_passing(const std::vector<Check>& checks,
                                                      std::vector<CheckResult>& results, Prober& prober, Clock& clock,
                                                      const ProbeOptions& options,
                                                      const std::optional<WaitFor>& default_wait);

}  // namespace pw
