#pragma once

#include <bot/core/clock.hpp>
#include <bot/core/duration.hpp>
#include <bot/core/error.hpp>
#include <bot/model/check.hpp>
#include <bot/model/check_result.hpp>
#include <bot/model/vantage.hpp>
#include <bot/model/vantage_report.hpp>

#include <string>
#include <vector>

namespace pw {

// Everything the fan-in run combines: the config's checks and vantages, and the reports found.
struct QuorumInput {
  const std::vector<Check>& checks;
  const std::vector<VantageDeclaration>& declared;
  const std::vector<VantageReport>& reports;
  int default_quorum = 1;  // --quorum; a check's `quorum:` overrides it
  TimePoint now{};
  Millis max_age{Millis(3600LL * 1000)};  // a report older than this is stale: its vantage is unknown
};

struct QuorumResult {
  std::vector<CheckResult> results;  // one per check, in config order, each with its vantages
  std::vector<std::string> unknown;  // one line per vantage that is unknown for every check, and why
};

// Combines the vantages' reports into one result per check. A vantage is unknown for a check
// when its report is missing, older than max_age, or lacks the check; unknown never counts as
// passing. A check fails when at least its quorum of vantages fail; else it passes when at least
// its quorum pass; else it has no verdict (`undecided()`). Fails when two reports name the same
// vantage or a check's quorum exceeds the number of vantages.
Expected<QuorumResult> combine_vantages(const QuorumInput& input);

// The vantages of a combined result that did not pass, as people read them: "gh-eu fails: status
// 503; office unknown: no report". Empty when every vantage passed, or the result combines none:
// then there is nothing to show apart from the verdict.
std::string vantages_not_passing(const CheckResult& result);

}  // namespace pw
