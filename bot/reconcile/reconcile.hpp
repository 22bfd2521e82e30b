#pragma once

#include <bot/core/duration.hpp>
#include <bot/model/maintenance.hpp>
#include <bot/reconcile/plan.hpp>

#include <map>
#include <optional>
#include <set>
#include <utility>
#include <string>
#include <vector>

namespace pw {

// Of two open issues for one check, the one kept is the older: the lower number (GitHub numbers
// a repository's issues in the order they are opened). Reconcile and `triage --dedupe` both keep
// by this rule.
inline bool kept_first(int a, int b) { return a < b; }

// The verdict on one check this run, as reconcile needs it.
struct CheckOutcome {
  std::string id;
  bool ok = false;
  std::string signature;           // the kind of failure ("status:404", "timeout"); empty when ok
  std::string reason;              // the failure in one line, secrets redacted; empty when ok
  std::string host;                // the host probed, for the healthy fingerprint
  std::string server;              // the Server header of a passing response
  std::string request_id_header;   // the request-id header a passing response carried, if any
  std::optional<int> response_ms;  // this run's response time (ms), for the dashboard's charts
  bool chart = false;              // the check's `chart: true`
  bool undecided = false;          // no verdict this run (vantage quorum): memory and incident stay as they are
};

// An open issue that carries a readable incident marker.
struct TrackedIncident {
  int number = 0;
  IncidentState state;
};

// What became of an incident the dashboard remembers as open but the open list lacks.
struct VanishedIncident {
  // transferred: GitHub answered 301 (the issue moved to another repository); it is treated as gone.
  enum class Fate {
    closed_completed,
    closed_not_planned,
    closed_duplicate,
    closed_other,
    unlabeled,
    deleted,
    transferred
  };
  Fate fate = Fate::deleted;
  TimePoint closed_at{};
};

struct ReconcilePolicy {
  int failure_threshold = 1;
  int success_threshold = 1;
  Millis reminder{Millis(24LL * 3600 * 1000)};
  Millis reopen_window{Millis(6LL * 3600 * 1000)};
  // At most one body refresh per interval while nothing but details changed.
  Millis refresh{Millis(6LL * 3600 * 1000)};
  // At most one "the failure changed" comment per interval (the body shows every change at once).
  Millis change_throttle{Millis(3600LL * 1000)};
  // Content-creating requests (new issues, comments) one run may plan; new incidents past it wait
  // for the next run, so a regional outage stays inside GitHub's secondary limits (80 a minute).
  int write_budget = 80;
  // And per hour, counted over this config's recent runs in the dashboard's memory (GitHub allows
  // 500 content-creating requests an hour per token; shards each count their own).
  int hourly_write_budget = 500;
  bool dashboard = true;
  bool keep_orphans = false;
  std::string scope;   // the shard ("2/10"), empty for all checks
  std::string config;  // the config instance whose incidents these are
  // Honest scheduling: the expected interval between runs (config `schedule:`), and how often a
  // run is recorded at most (watch records every 5 minutes, so its quiet cycles write nothing).
  std::optional<Millis> schedule;
  Millis record_every{0};
};

struct ReconcileInput {
  std::vector<CheckOutcome> outcomes;       // the checks in scope, in config order
  std::vector<TrackedIncident> incidents;   // open incidents in scope
  std::optional<DashboardState> dashboard;  // memory kept by the dashboard, if one exists
  int dashboard_issue = 0;
  std::vector<int> extra_dashboards;         // further open dashboards of the same scope
  std::map<int, VanishedIncident> vanished;  // looked up for needs_lookup()
  std::set<int> reopenable;                  // of reopen_targets(): closed incidents verified as ours
  // Checks in maintenance now: failing, they open no incident and their open incident gets no
  // comment or refresh (a recovery still closes it); their memory waits as it was.
  Pauses paused;
  // The run's deployment (a deployment_status run): remembered by the dashboard when it rolls out
  // and began no earlier than the one remembered, so later runs keep its grace and can name it.
  std::optional<Deployment> deployment;
  ReconcilePolicy policy;
  TimePoint now{};
};

// Returns the incidents the dashboard remembers as open that are missing from the open list:
// the caller looks each up once (its fate is then recorded, so later runs pay nothing).
std::vector<int> needs_lookup(const ReconcileInput& input);

// Returns the recently closed incidents that a failing check would reopen, with that check: the
// caller looks each up and passes those that are still ours (labeled, marked for this check and
// config, written by a trusted author, not a pull request) as `reopenable`; the others get a new
// incident.
std::vector<std::pair<int, std::string>> reopen_targets(const ReconcileInput& input);

// Decides every change for this run. Pure: same input, same plan. Running it again on the state
// the plan produces (with the same outcomes) yields a plan with no comments and no opens/closes.
Plan reconcile(const ReconcileInput& input);

}  // namespace pw
