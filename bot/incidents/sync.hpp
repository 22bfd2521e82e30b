#pragma once

#include <bot/config/config.hpp>
#include <bot/diagnose/hint.hpp>
#include <bot/model/check_result.hpp>
#include <bot/model/deploy.hpp>
#include <bot/reconcile/reconcile.hpp>
#include <bot/render/issue_writer.hpp>
#include <bot/tracker/tracker.hpp>

#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace pw {

// Everything one sync of one tracker needs.
struct SyncRequest {
  std::vector<const Check*> checks;                             // the checks whose issues live on this tracker
  const std::map<std::string, CheckResult>* results = nullptr;  // by check id
  // Names likely causes for a failing check, given how its host looked when healthy (may be null).
  std::function<std::vector<Hint>(const Check&, const CheckResult&, const HealthyFingerprint*)> diagnose;
  const IssuePolicy* issues = nullptr;
  ReconcilePolicy policy;
  bool dry_run = false;
  // Decides whether an incident's check belongs to this sync (shards); all when empty.
  std::function<bool(const std::string& check_id)> in_scope;
  // True once the sync should stop after the write in flight (watch got a signal): the rest of the
  // plan, the duplicate recheck and the dashboard are left for the next run. Never stops when empty.
  std::function<bool()> stopping;
  // Authors whose markers are believed besides the login the tracker writes as (compared
  // case-insensitively); GITHUB_TOKEN writes as github-actions[bot].
  std::vector<std::string> trusted_authors{"github-actions[bot]"};
  // The config's maintenance windows and their time zones (may be null: none).
  const std::vector<MaintenanceWindow>* maintenance = nullptr;
  const std::map<std::string, TimeZone>* time_zones = nullptr;
  // issues.late_after, set on the one sync that keeps the "runs are late" incident (the run's own
  // repository); `runs_url` is where people see the runs (the workflow's Actions page).
  std::optional<Millis> late_after;
  std::string runs_url;
  // Results the sync adds itself (the late-runs check), looked up after `results`.
  const std::map<std::string, CheckResult>* extra_results = nullptr;

  // Returns the result of check `id` this run, or nullptr.
  const CheckResult* result_of(const std::string& id) const;
  // The checks deploying this run (within a deploy's grace, bot/model/deploy.hpp): paused like
  // maintenance, which wins where both apply. May be null: none.
  const Pauses* deploying = nullptr;
  // The run's deployment on a deployment_status run, named in recovery notes. May be null.
  const Deployment* deployment = nullptr;
};

struct SyncResult {
  std::vector<AppliedAction> actions;                // done, or planned in a dry run
  std::vector<std::string> errors;                   // work left undone, one line each
  std::vector<std::string> warnings;                 // for people, nothing lost: ignored markers, ...
  std::map<std::string, int> incidents;              // open incident per failing check after the sync
  std::map<std::string, std::string> incident_urls;  // their web addresses, as the tracker gave them
  std::map<std::string, std::vector<Hint>> hints;    // likely causes by failing check
  bool listed = false;                               // the open incidents could be read
  std::set<std::string> labels_seen;                 // labels the listed issues carry (they exist)
  std::optional<TimeSpan> gap;                       // the monitoring gap this run found (it came late)
  Pauses paused;                                     // checks in maintenance this run
};

// Returns the reconcile policy the `issues:` block sets (thresholds, intervals, budget, dashboard);
// the caller adds what comes from the run (config identity, shard, --keep-orphans).
ReconcilePolicy reconcile_policy(const IssuePolicy& issues);

// Reads the open incidents and the dashboard from `tracker`, reconciles them with the results and
// applies the plan (unless dry_run). Never throws; every tracker failure becomes an error line.
SyncResult sync_incidents(Tracker& tracker, const IssueWriter& writer, const SyncRequest& request, Clock& clock);

}  // namespace pw
