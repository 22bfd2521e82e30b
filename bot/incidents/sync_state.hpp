#pragma once

#include <bot/reconcile/reconcile.hpp>
#include <bot/tracker/tracker.hpp>

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace pw {

// Whose markers one sync honours: the config instance that owns them, its shard, and the authors
// whose markers are believed. Anyone can type a marker; only issues written by a trusted author
// (the identity probewatch writes as) are read as incidents or dashboards.
struct Ownership {
  std::string label;   // the bot label, compared case-insensitively as GitHub does
  std::string config;  // the config instance
  std::string scope;   // the shard ("2/10") or empty
  std::function<bool(const std::string& check_id)> in_scope;  // all checks when empty
  std::vector<std::string> trusted;                           // logins, compared case-insensitively

  bool trusts(const std::string& login) const;
  // True when an incident marker belongs to this sync: this config's (or one from before owners)
  // and in scope.
  bool owns(const IncidentState& incident) const;
  bool owns(const DashboardState& dashboard) const;
};

// The managed issues found on a tracker, sorted out by marker. Internal to sync.
struct TrackedIssues {
  std::vector<TrackedIncident> incidents;  // open incidents in scope
  std::map<int, github::Issue> issues;     // every open managed issue by number
  std::optional<DashboardState> dashboard;
  int dashboard_issue = 0;
  std::vector<int> extra_dashboards;
  std::vector<std::pair<int, std::string>> untrusted;  // this config's markers by other authors: number, author
};

// When markers by an untrusted author were found, asks the tracker once who the token writes as
// and trusts that login too (a personal token or an App writes as itself); true when it was added.
// Asked only then, so GITHUB_TOKEN's quiet runs stay one request.
bool trust_token_login(Tracker& tracker, Ownership& owner);

// Returns `open` without the issues whose marker is by an author `owner` does not trust (asking
// the tracker who it writes as first, when there are such markers). Issues without a marker stay.
std::vector<github::Issue> without_untrusted_markers(std::vector<github::Issue> open, Ownership& owner,
                                                     Tracker& tracker);

// True when `labels` holds `name`, ignoring case as GitHub does.
bool has_label(const std::vector<std::string>& labels, const std::string& name);

// Sorts open issues into incidents and the dashboard of `owner`; issues without a readable
// marker, other configs' issues and markers by untrusted authors are left out.
TrackedIssues sort_out(const std::vector<github::Issue>& open, const Ownership& owner);

// Returns the incident state of a looked-up issue that is open, labeled, ours and trusted.
std::optional<IncidentState> still_open_incident(const TrackerResult<github::Issue>& looked_up, const Ownership& owner);

// True when a looked-up closed issue may be reopened for `check`: labeled, not a pull request,
// written by a trusted author, and marked as this config's incident of that check.
bool reopenable(const TrackerResult<github::Issue>& looked_up, const std::string& check, const Ownership& owner);

// Returns what became of an issue the dashboard remembered as open.
VanishedIncident fate_of(const TrackerResult<github::Issue>& looked_up, const std::string& bot_label);

// Returns the check ids a maintenance issue's body names on its "checks:" line ("checks: api, web"
// or "checks: all", which returns an empty list), or nullopt when it has no such line.
std::optional<std::vector<std::string>> maintenance_checks(std::string_view body);

// Without a dashboard, rebuilds the memory reconcile needs (mutes, recent closes) from recently
// closed incidents.
DashboardState memory_from_closed(const std::vector<github::Issue>& closed, const Ownership& owner);

}  // namespace pw
