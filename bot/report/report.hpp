#pragma once

#include <bot/core/time_span.hpp>

#include <bot/config/config.hpp>
#include <bot/core/clock.hpp>
#include <bot/diagnose/hint.hpp>
#include <bot/model/check_result.hpp>
#include <bot/model/deploy.hpp>
#include <bot/reconcile/plan.hpp>

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace pw {

// Everything a run produced, for the JSON report, the terminal and the job summary.
struct RunReport {
  const Config* config = nullptr;
  std::vector<CheckResult> results;                // in config order
  std::map<std::string, std::vector<Hint>> hints;  // by check id
  std::vector<AppliedAction> actions;
  std::map<std::string, std::string> incident_urls;  // open incident per failing check
  std::map<std::string, WaitSummary> waits;          // deploy waits, by check id
  std::vector<std::string> errors;                   // tracker work left undone
  std::vector<std::string> warnings;                 // for people; nothing was lost
  Pauses maintenance;                                // checks in maintenance this run
  Pauses deploying;                                  // failing checks within a deploy's grace this run
  std::optional<Deployment> deployment;              // the run's deployment (a deployment_status run)
  std::optional<std::size_t> api_requests;           // absent for `check`
  std::optional<TimePoint> generated_at;             // when the run started (the report's "generated_at")
  std::optional<VantageDeclaration> vantage;         // check --vantage: this report is one vantage's, with evidence
  std::vector<std::string> vantage_notes;            // run --reports: vantages that are unknown, and why
  bool dry_run = false;
  bool network_down = false;    // nothing was filed: the runner's network is down
  std::optional<TimeSpan> gap;  // the monitoring gap this run found: it came late (config `schedule:`)

  // Returns the config's check with this id.
  const Check& check(const std::string& id) const;
  // Returns the config's check with this id, or nullptr (an incident of a removed check).
  const Check* find_check(const std::string& id) const;
  // Returns the check's name, or the id when the config no longer has it.
  std::string name_of(const std::string& id) const;
  std::size_t failing() const;
  // Passing checks slower than their degraded_response_time.
  std::size_t degraded() const;

 private:
  mutable std::map<std::string, const Check*> m_index;  // filled on first use
};

// Returns the report JSON (DESIGN.md's fixed fields, plus hints and reasons), secrets redacted.
std::string report_json(const RunReport& report);

}  // namespace pw
