#include <bot/incidents/sync_state.hpp>

#include <bot/core/text.hpp>

#include <github_client/iso8601.hpp>

#include <algorithm>
#include <cctype>

namespace pw {

namespace {

bool same_name(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

// The incident marker of an issue whose author is trusted, if any.
std::optional<IncidentState> trusted_incident(const github::Issue& issue, const Ownership& owner) {
  if (issue.pull_request || !owner.trusts(issue.user)) {
    return std::nullopt;
  }
  auto marker = parse_marker(issue.body);
  const auto* incident = marker ? std::get_if<IncidentState>(&*marker) : nullptr;
  return incident != nullptr ? std::optional(*incident) : std::nullopt;
}

}  // namespace

bool has_label(const std::vector<std::string>& labels, const std::string& name) {
  return std::any_of(labels.begin(), labels.end(), [&](const std::string& label) { return same_name(label, name); });
}

bool Ownership::trusts(const std::string& login) const {
  return std::any_of(trusted.begin(), trusted.end(), [&](const std::string& t) { return same_name(t, login); });
}

bool trust_token_login(Tracker& tracker, Ownership& owner) {
  auto login = tracker.whoami();
  if (!login || owner.trusts(*login)) {
    return false;
  }
  owner.trusted.push_back(*login);
  return true;
}

std::vector<github::Issue> without_untrusted_markers(std::vector<github::Issue> open, Ownership& owner,
                                                     Tracker& tracker) {
  auto untrusted = [&](const github::Issue& issue) { return parse_marker(issue.body) && !owner.trusts(issue.user); };
  if (std::any_of(open.begin(), open.end(), untrusted)) {
    trust_token_login(tracker, owner);
    std::erase_if(open, untrusted);
  }
  return open;
}

bool Ownership::owns(const IncidentState& incident) const {
  return (incident.config.empty() || incident.config == config) && (!in_scope || in_scope(incident.check));
}

bool Ownership::owns(const DashboardState& dashboard) const {
  return (dashboard.config.empty() || dashboard.config == config) && dashboard.scope == scope;
}

TrackedIssues sort_out(const std::vector<github::Issue>& open, const Ownership& owner) {
  TrackedIssues tracked;
  struct Found {
    int number;
    bool explicit_owner;
    std::string updated_at;
    DashboardState state;
  };
  std::vector<Found> dashboards;
  for (const github::Issue& issue : open) {
    auto marker = issue.pull_request ? std::nullopt : parse_marker(issue.body);
    if (!marker) {
      continue;  // not ours: people's issues may carry the label too
    }
    const auto* incident = std::get_if<IncidentState>(&*marker);
    const auto* dashboard = std::get_if<DashboardState>(&*marker);
    const bool mine = incident != nullptr ? owner.owns(*incident) : owner.owns(*dashboard);
    if (!mine) {
      continue;  // another config's, or another shard's
    }
    if (!owner.trusts(issue.user)) {
      tracked.untrusted.emplace_back(issue.number, issue.user);
      continue;
    }
    tracked.issues.emplace(issue.number, issue);
    if (incident != nullptr) {
      tracked.incidents.push_back({issue.number, *incident});
    } else {
      dashboards.push_back({issue.number, !dashboard->config.empty(), issue.updated_at, *dashboard});
    }
  }
  // This config's own dashboard wins over one from before owners; the lowest number is kept.
  std::sort(dashboards.begin(), dashboards.end(), [](const Found& a, const Found& b) {
    return a.explicit_owner != b.explicit_owner ? a.explicit_owner : a.number < b.number;
  });
  if (!dashboards.empty()) {
    tracked.dashboard_issue = dashboards.front().number;
    const bool explicit_owner = dashboards.front().explicit_owner;
    const auto latest = std::max_element(dashboards.begin(), dashboards.end(), [&](const Found& a, const Found& b) {
      return (a.explicit_owner == explicit_owner ? a.updated_at : "") <
             (b.explicit_owner == explicit_owner ? b.updated_at : "");
    });
    tracked.dashboard = latest->state;
    for (std::size_t i = 1; i < dashboards.size(); ++i) {
      if (dashboards[i].explicit_owner == explicit_owner) {
        tracked.extra_dashboards.push_back(dashboards[i].number);
      }
    }
  }
  return tracked;
}

std::optional<IncidentState> still_open_incident(const TrackerResult<github::Issue>& looked_up,
                                                 const Ownership& owner) {
  if (!looked_up || looked_up->state != "open" || !has_label(looked_up->labels, owner.label)) {
    return std::nullopt;
  }
  auto incident = trusted_incident(*looked_up, owner);
  return incident && owner.owns(*incident) ? incident : std::nullopt;
}

bool reopenable(const TrackerResult<github::Issue>& looked_up, const std::string& check, const Ownership& owner) {
  if (!looked_up || looked_up->state != "closed" || !has_label(looked_up->labels, owner.label)) {
    return false;
  }
  const auto incident = trusted_incident(*looked_up, owner);
  return incident && incident->check == check && owner.owns(*incident);
}

VanishedIncident fate_of(const TrackerResult<github::Issue>& looked_up, const std::string& bot_label) {
  using Fate = VanishedIncident::Fate;
  if (!looked_up) {
    return {looked_up.error().kind == github::ErrorKind::moved ? Fate::transferred : Fate::deleted, {}};
  }
  const github::Issue& issue = *looked_up;
  const TimePoint closed_at = github::parse_iso8601(issue.closed_at).value_or(TimePoint{});
  if (issue.state == "open") {
    return {has_label(issue.labels, bot_label) ? Fate::deleted : Fate::unlabeled, {}};
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

DashboardState memory_from_closed(const std::vector<github::Issue>& closed, const Ownership& owner) {
  DashboardState state;
  state.config = owner.config;
  state.scope = owner.scope;
  // Most recently updated first: the first closed incident seen for a check decides.
  for (const github::Issue& issue : closed) {
    const auto incident = trusted_incident(issue, owner);
    if (!incident || !owner.owns(*incident) || state.checks.count(incident->check) != 0) {
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

std::optional<std::vector<std::string>> maintenance_checks(std::string_view body) {
  std::size_t start = 0;
  while (start < body.size()) {
    const std::size_t end = std::min(body.find('\n', start), body.size());
    std::string_view line = trim(body.substr(start, end - start));
    start = end + 1;
    if (!to_lower(line.substr(0, 7)).starts_with("checks:")) {
      continue;
    }
    std::vector<std::string> ids;
    std::string current;
    const auto flush = [&] {
      if (!current.empty()) {
        ids.push_back(current);
        current.clear();
      }
    };
    for (const char c : line.substr(7)) {
      if (c == ',' || c == ' ' || c == '\t' || c == '`' || c == '\r') {
        flush();
      } else {
        current += c;
      }
    }
    flush();
    if (ids.empty()) {
      return std::nullopt;
    }
    const bool all =
        std::any_of(ids.begin(), ids.end(), [](const std::string& id) { return to_lower(id) == "all" || id == "*"; });
    return all ? std::vector<std::string>{} : ids;
  }
  return std::nullopt;
}

}  // namespace pw
