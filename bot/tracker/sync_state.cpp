#include <bot/tracker/sync_state.hpp>

#include <github_client/iso8601.hpp>

#include <algorithm>

namespace pw {

TrackedIssues sort_out(const std::vector<github::Issue>& open, const std::string& scope,
                       const std::function<bool(const std::string&)>& in_scope) {
  TrackedIssues tracked;
  struct Found {
    int number;
    std::string updated_at;
    DashboardState state;
  };
  std::vector<Found> dashboards;
  for (const github::Issue& issue : open) {
    auto marker = parse_marker(issue.body);
    if (!marker) {
      continue;  // not ours: people's issues may carry the label too
    }
    if (const auto* incident = std::get_if<IncidentState>(&*marker)) {
      if (!in_scope || in_scope(incident->check)) {
        tracked.incidents.push_back({issue.number, *incident});
        tracked.issues.emplace(issue.number, issue);
      }
    } else if (const auto* dashboard = std::get_if<DashboardState>(&*marker); dashboard->scope == scope) {
      dashboards.push_back({issue.number, issue.updated_at, *dashboard});
      tracked.issues.emplace(issue.number, issue);
    }
  }
  std::sort(dashboards.begin(), dashboards.end(), [](const auto& a, const auto& b) { return a.number < b.number; });
  if (!dashboards.empty()) {
    tracked.dashboard_issue = dashboards.front().number;
    const auto latest = std::max_element(dashboards.begin(), dashboards.end(),
                                         [](const auto& a, const auto& b) { return a.updated_at < b.updated_at; });
    tracked.dashboard = latest->state;
    for (std::size_t i = 1; i < dashboards.size(); ++i) {
      tracked.extra_dashboards.push_back(dashboards[i].number);
    }
  }
  return tracked;
}

std::optional<IncidentState> still_open_incident(const TrackerResult<github::Issue>& looked_up,
                                                 const std::string& bot_label) {
  if (!looked_up || looked_up->state != "open" ||
      std::find(looked_up->labels.begin(), looked_up->labels.end(), bot_label) == looked_up->labels.end()) {
    return std::nullopt;
  }
  auto marker = parse_marker(looked_up->body);
  const auto* incident = marker ? std::get_if<IncidentState>(&*marker) : nullptr;
  return incident != nullptr ? std::optional(*incident) : std::nullopt;
}

VanishedIncident fate_of(const TrackerResult<github::Issue>& looked_up, const std::string& bot_label) {
  using Fate = VanishedIncident::Fate;
  if (!looked_up) {
    return {Fate::deleted, {}};
  }
  const github::Issue& issue = *looked_up;
  const TimePoint closed_at = github::parse_iso8601(issue.closed_at).value_or(TimePoint{});
  if (issue.state == "open") {
    const bool labeled = std::find(issue.labels.begin(), issue.labels.end(), bot_label) != issue.labels.end();
    return {labeled ? Fate::deleted : Fate::unlabeled, {}};
  }
  if (issue.state_reason == "not_planned") {
    return {Fate::closed_not_planned, closed_at};
  }
  if (issue.state_reason == "duplicate") {
    return {Fate::closed_duplicate, closed_at};
  }
  if (issue.state_reason == "completed") {
    return {Fate::closed_completed, closed_at};
  }
  return {Fate::closed_other, closed_at};
}

DashboardState memory_from_closed(const std::vector<github::Issue>& closed,
                                  const std::function<bool(const std::string&)>& in_scope) {
  DashboardState state;
  // Most recently updated first: the first closed incident seen for a check decides.
  for (const github::Issue& issue : closed) {
    auto marker = parse_marker(issue.body);
    const auto* incident = marker ? std::get_if<IncidentState>(&*marker) : nullptr;
    if (incident == nullptr || (in_scope && !in_scope(incident->check)) || state.checks.count(incident->check) != 0) {
      continue;
    }
    CheckMemory memory;
    if (issue.state_reason == "not_planned") {
      memory.status = CheckMemory::Status::muted;
      memory.muted_by = issue.number;
    } else if (issue.state_reason != "duplicate") {
      memory.closed = issue.number;
      memory.closed_at = github::parse_iso8601(issue.closed_at).value_or(TimePoint{});
    }
    state.checks.emplace(incident->check, memory);
  }
  return state;
}

}  // namespace pw
