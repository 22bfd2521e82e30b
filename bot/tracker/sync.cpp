#include <bot/tracker/sync.hpp>

#include <bot/report/verdict.hpp>
#include <bot/tracker/apply.hpp>
#include <bot/tracker/sync_state.hpp>

#include <fmt/format.h>

namespace pw {

namespace {

CheckOutcome outcome_of(const Check& check, const CheckResult& result, const Redactor& secrets) {
  CheckOutcome outcome{check.id, result.ok, signature_of(result)};
  if (!result.ok) {
    outcome.reason = secrets.apply(reason_of(result));
  } else {
    const std::string* server = result.evidence.header("server");
    outcome.server = server != nullptr ? secrets.apply(server->substr(0, 100)) : "";
    for (const char* name : {"x-request-id", "x-correlation-id", "request-id", "x-amzn-requestid", "traceparent"}) {
      if (result.evidence.header(name) != nullptr) {
        outcome.request_id_header = name;
        break;
      }
    }
  }
  return outcome;
}

}  // namespace

SyncResult sync_incidents(Tracker& tracker, const IssueWriter& writer, const SyncRequest& request, Clock& clock) {
  SyncResult result;
  const std::string& label = request.issues->bot_label();
  auto open = tracker.list_open(label);
  if (!open) {
    result.errors.push_back(fmt::format("could not list the open issues labeled \"{}\" in {}: {}", label,
                                        tracker.where(), open.error().to_string()));
    return result;
  }
  result.listed = true;
  TrackedIssues tracked = sort_out(*open, request.policy.scope, request.in_scope);

  ReconcileInput input;
  input.policy = request.policy;
  input.now = clock.now();
  input.incidents = tracked.incidents;
  input.dashboard = tracked.dashboard;
  input.dashboard_issue = tracked.dashboard_issue;
  input.extra_dashboards = tracked.extra_dashboards;
  for (const Check* check : request.checks) {
    const auto found = request.results->find(check->id);
    if (found != request.results->end()) {
      input.outcomes.push_back(outcome_of(*check, found->second, writer.secrets()));
    }
  }

  if (!request.policy.dashboard) {
    // Without a dashboard, mutes and recent closes are read from recently closed incidents, and
    // only when some failing check has no open incident.
    bool needed = false;
    for (const CheckOutcome& outcome : input.outcomes) {
      const bool has_open = std::any_of(input.incidents.begin(), input.incidents.end(),
                                        [&](const TrackedIncident& i) { return i.state.check == outcome.id; });
      needed = needed || (!outcome.ok && !has_open);
    }
    if (needed) {
      auto closed = tracker.list_recently_closed(label);
      if (!closed) {
        result.errors.push_back(fmt::format("could not list recently closed incidents in {}: {}", tracker.where(),
                                            closed.error().to_string()));
        return result;
      }
      input.dashboard = memory_from_closed(*closed, request.in_scope);
    }
  }

  for (const int number : needs_lookup(input)) {
    auto issue = tracker.get(number);
    if (!issue && issue.error().kind != github::ErrorKind::not_found && issue.error().kind != github::ErrorKind::gone) {
      result.errors.push_back(
          fmt::format("could not look up incident #{} in {}: {}", number, tracker.where(), issue.error().to_string()));
      continue;  // unknown fate: leave the memory as it is and look again next run
    }
    if (auto adopted = still_open_incident(issue, label)) {
      // Open and labeled, yet missing from the list: the list shifted under concurrent closes
      // (pages are read one by one). It is still this check's incident.
      input.incidents.push_back({number, *adopted});
      tracked.issues.emplace(number, *issue);
      continue;
    }
    input.vanished[number] = fate_of(issue, label);
  }

  if (request.diagnose) {
    for (const Check* check : request.checks) {
      const auto found = request.results->find(check->id);
      if (found == request.results->end() || found->second.ok) {
        continue;
      }
      const CheckMemory* memory = nullptr;
      if (input.dashboard) {
        const auto remembered = input.dashboard->checks.find(check->id);
        memory = remembered != input.dashboard->checks.end() ? &remembered->second : nullptr;
      }
      auto hints = request.diagnose(*check, found->second, memory);
      if (!hints.empty()) {
        result.hints.emplace(check->id, std::move(hints));
      }
    }
  }

  Plan plan = reconcile(input);
  PlanApplier applier(tracker, writer, request, tracked.issues, result.hints, input.now);
  applier.apply(plan, result);
  return result;
}

}  // namespace pw
