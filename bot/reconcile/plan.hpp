#pragma once

#include <bot/model/maintenance.hpp>
#include <bot/reconcile/marker.hpp>

#include <optional>
#include <string>
#include <vector>

namespace pw {

// The report's action kinds, in DESIGN.md's words.
enum class ActionKind { create, update, comment, close, reopen, close_duplicate };

// Why the bot writes a comment.
enum class CommentReason { none, changed, reminder, recovered, reopened, duplicate, removed };

const char* to_string(ActionKind kind);  // "create", ..., "close-duplicate"

// One change to make on the tracker.
struct Action {
  ActionKind kind = ActionKind::update;
  std::string check;    // the check id
  int issue = 0;        // the target issue; 0 for create
  IncidentState state;  // the incident's marker state after the action
  CommentReason comment = CommentReason::none;
  std::string previous_signature;  // for CommentReason::changed
  std::string previous_reason;     // for CommentReason::changed
  int duplicate_of = 0;            // for close_duplicate
  std::string state_reason;        // for close: "completed", "not_planned" or "duplicate"
};

// One change made (or, in a dry run, planned) on a tracker, as reports list it.
struct AppliedAction {
  ActionKind kind = ActionKind::update;
  std::string check;
  int issue = 0;
  std::string url;
  std::string title;   // for create and reopen
  std::string detail;  // for people: "still failing (3 runs)", "recovered after 2h", ...
};

// What reconcile decided: the actions in order, and the dashboard memory to keep.
struct Plan {
  std::vector<Action> actions;
  DashboardState dashboard;
  bool dashboard_changed = false;     // the dashboard must be created or edited
  int dashboard_issue = 0;            // the dashboard to edit; 0 to create one
  std::vector<int> extra_dashboards;  // duplicate dashboards to close
  std::vector<std::string> deferred;  // checks whose new incident waits for the next run (write budget)
  int budget = 0;                     // the budget this run had: the smaller of the per-run and hourly ones
  // When the hourly budget was the smaller: what this config's runs wrote in the last hour.
  std::optional<int> written_last_hour;
  std::optional<TimeSpan> gap;  // the monitoring gap this run found (it came late)
  Pauses paused;                // checks in maintenance, as the dashboard shows them

  // True when nothing would be written.
  bool empty() const { return actions.empty() && !dashboard_changed && extra_dashboards.empty(); }
};

}  // namespace pw
