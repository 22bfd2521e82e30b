#pragma once

#include <bot/reconcile/reconcile.hpp>
#include <bot/tracker/tracker.hpp>

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace pw {

// The managed issues found on a tracker, sorted out by marker. Internal to sync.
struct TrackedIssues {
  std::vector<TrackedIncident> incidents;  // open incidents in scope
  std::map<int, github::Issue> issues;     // every open managed issue by number
  std::optional<DashboardState> dashboard;
  int dashboard_issue = 0;
  std::vector<int> extra_dashboards;
};

// Sorts open issues into incidents (in scope) and the dashboard of `scope`; issues without a
// readable marker are ignored.
TrackedIssues sort_out(const std::vector<github::Issue>& open, const std::string& scope,
                       const std::function<bool(const std::string&)>& in_scope);

// Returns the incident state of a looked-up issue that is open, labeled and marked as an incident.
std::optional<IncidentState> still_open_incident(const TrackerResult<github::Issue>& looked_up,
                                                 const std::string& bot_label);

// Returns what became of an issue the dashboard remembered as open.
VanishedIncident fate_of(const TrackerResult<github::Issue>& looked_up, const std::string& bot_label);

// Without a dashboard, rebuilds the memory reconcile needs (mutes, recent closes) from recently
// closed incidents.
DashboardState memory_from_closed(const std::vector<github::Issue>& closed,
                                  const std::function<bool(const std::string&)>& in_scope);

}  // namespace pw
