// PlanApplier's last step: the dashboard, rendered from the plan's memory and written only when
// it changed for more than this run's response times.
#include <bot/incidents/apply.hpp>

#include <bot/incidents/listing.hpp>

#include <fmt/format.h>

namespace pw {

bool PlanApplier::only_new_samples(const std::string& body, const DashboardState& state,
                                   const std::vector<DashboardRow>& rows) const {
  // Reconcile keeps this run's samples when the memory changed, but the rendering may leave out
  // what changed (fingerprints that do not fit): then the samples would be the only difference.
  const auto marker = parse_marker(body);
  if (!marker || !std::holds_alternative<DashboardState>(*marker)) {
    return false;
  }
  const ResponseHistory& before = std::get<DashboardState>(*marker).response;
  if (before == state.response || without_open_samples(before) != without_open_samples(state.response)) {
    return false;
  }
  DashboardState quiet = state;
  quiet.response = before;
  const auto again = m_writer.dashboard(quiet, rows);
  return again && again->body == body;
}

void PlanApplier::write_dashboard(Plan& plan, SyncResult& result) {
  if (!m_request.policy.dashboard) {
    return;
  }
  const auto current = m_issues.find(plan.dashboard_issue);
  // The config's windows over the last 90 days, each computed once, for the uptime figures.
  std::vector<std::pair<const MaintenanceWindow*, TimeSpans>> windows;
  if (m_request.maintenance != nullptr) {
    const TimeZone utc = TimeZone::utc();
    for (const MaintenanceWindow& window : *m_request.maintenance) {
      const auto zone = m_request.time_zones != nullptr ? m_request.time_zones->find(window.timezone)
                                                        : std::map<std::string, TimeZone>::const_iterator{};
      const bool known = m_request.time_zones != nullptr && zone != m_request.time_zones->end();
      windows.emplace_back(&window, window_spans(window, known ? zone->second : utc, {m_now - k_history_days, m_now}));
    }
  }
  std::vector<DashboardRow> rows;
  for (const Check* check : m_request.checks) {
    // Checks with nothing to remember are not in the memory: they are passing.
    const auto memory = plan.dashboard.checks.find(check->id);
    const CheckMemory passing;
    const auto pause = plan.paused.find(check->id);
    rows.push_back({check->id, check->name, memory != plan.dashboard.checks.end() ? memory->second : passing,
                    pause != plan.paused.end() ? std::optional(pause->second) : std::nullopt});
    const CheckResult* probed = m_request.result_of(check->id);
    rows.back().failing_now = probed != nullptr && !probed->ok;
    if (probed != nullptr && probed->vantages) {
      rows.back().vantages = vantage_note(*probed->vantages);
    }
    for (const auto& [window, spans] : windows) {
      if (window->covers(check->id)) {
        rows.back().maintenance.insert(rows.back().maintenance.end(), spans.begin(), spans.end());
      }
    }
  }
  if (m_listing == ListingUpdate::record && result.errors.empty()) {
    plan.dashboard.listing = listing_of(m_issues, m_owner, plan.dashboard_issue, m_maintenance, m_listing_floor);
  } else if (m_listing == ListingUpdate::drop) {
    plan.dashboard.listing.reset();
  }
  auto rendered = m_writer.dashboard(plan.dashboard, rows);
  if (!rendered) {
    result.errors.push_back(rendered.error().message);
    return;
  }
  result.warnings.insert(result.warnings.end(), rendered->warnings.begin(), rendered->warnings.end());
  if (current != m_issues.end() && current->second.body == rendered->body) {
    return;  // nothing in it changed: a quiet run writes nothing
  }
  if (current != m_issues.end() && only_new_samples(current->second.body, plan.dashboard, rows)) {
    return;  // this run's response times alone are not worth a write
  }
  if (m_request.dry_run) {
    return;
  }
  if (current == m_issues.end() && m_unfindable) {
    m_not_created.emplace_back("the dashboard");
    return;
  }
  if (current == m_issues.end()) {
    github::NewIssue issue;
    issue.title = rendered->front.title;
    issue.body = rendered->body;
    issue.labels = {m_request.issues->bot_label()};
    ensure_labels(issue.labels, result);
    auto created = m_tracker.create(issue);
    if (!created) {
      failed(result, "create the dashboard issue", created.error());
      return;
    }
    check_labels_kept(*created, issue.labels, result);
    return;
  }
  github::IssueUpdate change;
  change.body = rendered->body;
  if (auto updated = m_tracker.update(plan.dashboard_issue, change); !updated) {
    failed(result, fmt::format("update the dashboard #{}", plan.dashboard_issue), updated.error());
  }
}

}  // namespace pw
