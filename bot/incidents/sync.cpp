#include <bot/incidents/sync.hpp>

#include <bot/incidents/apply.hpp>
#include <bot/incidents/listing.hpp>
#include <bot/incidents/sync_state.hpp>
#include <bot/core/duration.hpp>
#include <bot/core/text.hpp>
#include <bot/model/url.hpp>
#include <bot/reconcile/run_history.hpp>
#include <bot/report/verdict.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <utility>

namespace pw {

namespace {

CheckOutcome outcome_of(const Check& check, const CheckResult& result, const Redactor& secrets) {
  CheckOutcome outcome{check.id, result.ok, signature_of(result)};
  outcome.host = host_of(check.url);
  outcome.undecided = result.undecided();
  if (result.attempts > 0) {
    outcome.response_ms =
        static_cast<int>(std::min<long long>(result.evidence.response_time.count(), k_max_response_ms));
  }
  outcome.chart = check.chart;
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

// Lists who wrote the markers that were ignored, and what to do if that is probewatch itself.
std::string untrusted_warning(const std::vector<std::pair<int, std::string>>& untrusted) {
  std::vector<std::string> items;
  for (const auto& [number, author] : untrusted) {
    items.push_back(fmt::format("#{} by {}", number, author.empty() ? "an unknown author" : author));
  }
  return fmt::format(
      "ignored {} issue(s) whose probewatch marker was not written by a trusted author ({}); if probewatch writes as "
      "that account now (a new token, a GitHub App or a personal token), add it to issues.trusted_authors",
      untrusted.size(), fmt::join(items, ", "));
}

// Returns the checks of this sync in maintenance at `now`: covered by a window of the config, or
// named by an open issue that carries the maintenance label besides the bot label (it comes with
// the open list, so it costs no request). A window's pause wins over an issue's.
Pauses maintenance_now(const SyncRequest& request, const std::vector<github::Issue>& open, TimePoint now,
                       std::vector<std::string>& warnings) {
  std::vector<std::string> ids;
  for (const Check* check : request.checks) {
    ids.push_back(check->id);
  }
  static const std::vector<MaintenanceWindow> k_none;
  static const std::map<std::string, TimeZone> k_no_zones;
  Pauses paused = paused_by_windows(request.maintenance != nullptr ? *request.maintenance : k_none,
                                    request.time_zones != nullptr ? *request.time_zones : k_no_zones, ids, now);
  const std::string& label = request.issues->maintenance_label;
  for (const github::Issue& issue : open) {
    if (!has_label(issue.labels, label) || parse_marker(issue.body).has_value()) {
      continue;
    }
    const auto named = maintenance_checks(issue.body);
    if (!named) {
      warnings.push_back(
          fmt::format("maintenance issue #{} names no checks, so it pauses none; add a line "
                      "\"checks: api-health, web\" or \"checks: all\" to its body",
                      issue.number));
      continue;
    }
    std::vector<std::string> unknown;
    for (const std::string& id : *named) {
      const bool here = std::find(ids.begin(), ids.end(), id) != ids.end();
      if (!here && (!request.in_scope || request.in_scope(id))) {
        unknown.push_back(id);
      }
    }
    if (!unknown.empty()) {
      warnings.push_back(
          fmt::format("maintenance issue #{} names {}, not check ids of this config; write the ids "
                      "as in the config's checks",
                      issue.number, fmt::join(unknown, ", ")));
    }
    for (const std::string& id : ids) {
      if (named->empty() || std::find(named->begin(), named->end(), id) != named->end()) {
        paused.emplace(id, Pause{fmt::format("#{}", issue.number), TimePoint{}, issue.number});
      }
    }
  }
  return paused;
}

// The late-runs check's verdict: failing while this run comes `late_after` or more past its
// schedule, passing when runs are on time.
CheckResult late_runs_result(std::optional<Millis> late, Millis late_after, Millis expected) {
  CheckResult result;
  result.id = k_late_runs_check;
  result.attempts = 1;
  result.ok = !late || *late < late_after;
  if (!result.ok) {
    result.failed.push_back(
        {"late", fmt::format("runs are late: this run started {} after the previous one, though runs are expected "
                             "every {} (schedule); nothing was probed in between",
                             format_duration(*late + expected), format_duration(expected))});
  }
  return result;
}

// The pull request a commit came from: the merged one when GitHub lists several.
std::optional<github::PullRequest> pull_of(const std::vector<github::PullRequest>& pulls) {
  const auto merged =
      std::find_if(pulls.begin(), pulls.end(), [](const github::PullRequest& p) { return !p.merged_at.empty(); });
  if (merged != pulls.end()) {
    return *merged;
  }
  return pulls.empty() ? std::nullopt : std::optional(pulls.front());
}

// Returns what was live for each check the plan closes as recovered: the run's deployment or the
// served version, with the pull request its commit came from. One request per distinct commit;
// GitHub not knowing the commit (404, 422) or forbidding the read (403) names the commit only.
std::map<std::string, LiveDeploy> live_deploys(Tracker& tracker, const SyncRequest& request,
                                               const Deployment* remembered, const Plan& plan,
                                               std::vector<std::string>& warnings) {
  std::map<std::string, LiveDeploy> deploys;
  struct CommitLookup {
    std::optional<github::PullRequest> pull;
    bool known = true;  // false when GitHub does not know the commit (404, 422)
  };
  std::map<std::string, CommitLookup> pulls;  // by commit: one request each
  // The run's deployment, else the one the dashboard remembers (named only where version: shows it).
  const bool from_memory = request.deployment == nullptr && remembered != nullptr;
  const std::optional<Deployment> deployment = request.deployment != nullptr ? std::optional(*request.deployment)
                                               : from_memory                 ? std::optional(*remembered)
                                                                             : std::nullopt;
  for (const Action& action : plan.actions) {
    if (action.kind != ActionKind::close || action.comment != CommentReason::recovered || derived_check(action.check)) {
      continue;
    }
    const auto check = std::find_if(request.checks.begin(), request.checks.end(),
                                    [&](const Check* c) { return c->id == action.check; });
    const CheckResult* result = request.result_of(action.check);
    if (check == request.checks.end() || result == nullptr) {
      continue;
    }
    std::optional<LiveDeploy> live = live_deploy(**check, *result, deployment, from_memory);
    if (!live) {
      continue;
    }
    if (!live->sha.empty()) {
      auto known = pulls.find(live->sha);
      if (known == pulls.end()) {
        CommitLookup lookup;
        auto listed = tracker.pulls_for_commit(live->sha);
        if (listed) {
          lookup.pull = pull_of(*listed);
        } else if (listed.error().kind == github::ErrorKind::not_found ||
                   listed.error().kind == github::ErrorKind::validation) {
          lookup.known = false;
        } else if (listed.error().kind != github::ErrorKind::forbidden) {
          warnings.push_back(
              fmt::format("could not look up the pull request of commit {} in {}: {}; the recovery "
                          "note names the commit only",
                          short_sha(live->sha), tracker.where(), listed.error().to_string()));
        }
        known = pulls.emplace(live->sha, lookup).first;
      }
      if (known->second.pull) {
        live->pull = known->second.pull->number;
        live->pull_title = known->second.pull->title;
        live->pull_url = known->second.pull->html_url;
      } else if (!known->second.known && !live->deployed) {
        live->sha.clear();  // a served version that only looked like a commit of this repository
      }
    }
    deploys.emplace(action.check, std::move(*live));
  }
  return deploys;
}

}  // namespace

const CheckResult* SyncRequest::result_of(const std::string& id) const {
  if (results != nullptr) {
    if (const auto found = results->find(id); found != results->end()) {
      return &found->second;
    }
  }
  if (extra_results != nullptr) {
    if (const auto found = extra_results->find(id); found != extra_results->end()) {
      return &found->second;
    }
  }
  return nullptr;
}

ReconcilePolicy reconcile_policy(const IssuePolicy& issues) {
  ReconcilePolicy policy;
  policy.failure_threshold = issues.failure_threshold;
  policy.success_threshold = issues.success_threshold;
  policy.reminder = issues.reminder;
  policy.reopen_window = issues.reopen_window;
  policy.refresh = issues.refresh;
  policy.change_throttle = issues.change_throttle;
  policy.write_budget = issues.write_budget;
  policy.hourly_write_budget = issues.hourly_write_budget;
  policy.dashboard = issues.dashboard;
  return policy;
}

namespace {

// Everything one reading of the label decides, kept apart from the result until it is the one
// carried out: a plan read from one page is dropped when it would write to an incident.
struct Decision {
  TrackedIssues tracked;
  ReconcileInput input;
  Plan plan;
  const Deployment* last_deploy = nullptr;
  std::vector<std::string> warnings;
  std::vector<std::string> errors;
  bool stop = false;  // a read failed that the plan cannot do without
  std::set<std::string> labels_seen;
  std::map<std::string, std::vector<Hint>> hints;
  // The late-runs check, when the sync keeps it: `effective` is the request with it added.
  Check late_check;
  std::map<std::string, CheckResult> late_results;
  SyncRequest with_late;
  const SyncRequest* effective = nullptr;
  bool needs_reads = false;  // a decision that could not read wanted to: list in full instead

  Decision() = default;
  Decision(const Decision&) = delete;  // `effective` may point into it
  Decision& operator=(const Decision&) = delete;

  // True when carrying the plan out writes to no issue but the dashboard.
  bool quiet() const { return !needs_reads && !stop && plan.actions.empty() && plan.extra_dashboards.empty(); }
};

// Decides what to do given the open issues carrying the label. With `may_read` false (a view
// built from one page) it sends no request: a decision that would need one (who the token is, the
// recently closed list, a look-up) stops there with needs_reads.
void decide(Decision& d, Tracker& tracker, const IssueWriter& writer, const SyncRequest& request, Clock& clock,
            Ownership& owner, const std::vector<github::Issue>& open, bool may_read) {
  const std::string& label = request.issues->bot_label();
  d.effective = &request;
  // Markers by someone untrusted: if that someone is the identity the token writes as (a personal
  // token, an App), they are ours. Asked only then and at most once, so GITHUB_TOKEN's quiet runs
  // stay one request.
  bool asked = false;
  auto trust_the_token = [&] { return !std::exchange(asked, true) && trust_token_login(tracker, owner); };
  TrackedIssues& tracked = d.tracked;
  tracked = sort_out(open, owner);
  if (!tracked.untrusted.empty() && !may_read) {
    d.needs_reads = true;
    return;
  }
  if (!tracked.untrusted.empty() && trust_the_token()) {
    tracked = sort_out(open, owner);
  }
  for (const github::Issue& issue : open) {
    for (const std::string& name : issue.labels) {
      d.labels_seen.insert(to_lower(name));
    }
  }

  ReconcileInput& input = d.input;
  input.policy = request.policy;
  input.now = clock.now();
  input.paused = maintenance_now(request, open, input.now, d.warnings);
  // On a deployment_status run the caller says which checks are deploying; on other runs the
  // deployment the dashboard remembers keeps its grace. A maintenance pause stays.
  d.last_deploy = tracked.dashboard && tracked.dashboard->deploy ? &*tracked.dashboard->deploy : nullptr;
  for (const Check* check : request.checks) {
    if (request.deploying != nullptr) {
      if (const auto given = request.deploying->find(check->id); given != request.deploying->end()) {
        input.paused.insert(*given);
        continue;
      }
    }
    const CheckResult* found = request.result_of(check->id);
    if (request.deployment == nullptr && d.last_deploy != nullptr && found != nullptr) {
      if (auto pause = deploying_pause(*check, *found, *d.last_deploy, input.now)) {
        input.paused.emplace(check->id, std::move(*pause));
      }
    }
  }
  if (request.deployment != nullptr) {
    input.deployment = *request.deployment;
  }
  input.incidents = tracked.incidents;
  input.dashboard = tracked.dashboard;
  input.dashboard_issue = tracked.dashboard_issue;
  input.extra_dashboards = tracked.extra_dashboards;
  for (const Check* check : request.checks) {
    if (const CheckResult* found = request.result_of(check->id)) {
      input.outcomes.push_back(outcome_of(*check, *found, writer.secrets()));
    }
  }
  // Honest scheduling, made visible: a run that comes late_after past its schedule keeps one
  // incident open for the late-runs check, as any failing check would, until runs are on time.
  if (request.late_after && request.policy.schedule && (!request.in_scope || request.in_scope(k_late_runs_check))) {
    static const DashboardState k_no_memory;
    const auto late = lateness(input.dashboard ? *input.dashboard : k_no_memory, input.now,
                               {request.policy.schedule, request.policy.record_every});
    d.late_check.id = k_late_runs_check;
    d.late_check.name = "Scheduled probewatch runs";
    d.late_check.url = request.runs_url;
    d.late_results.emplace(d.late_check.id, late_runs_result(late, *request.late_after, *request.policy.schedule));
    d.with_late = request;
    d.with_late.checks.push_back(&d.late_check);
    d.with_late.extra_results = &d.late_results;
    d.effective = &d.with_late;
    CheckOutcome outcome = outcome_of(d.late_check, d.late_results.begin()->second, writer.secrets());
    outcome.host.clear();  // no host of ours was probed
    input.outcomes.push_back(std::move(outcome));
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
    if (needed && !may_read) {
      d.needs_reads = true;
      return;
    }
    if (needed) {
      auto closed = tracker.list_recently_closed(label);
      if (!closed) {
        d.errors.push_back(fmt::format("could not list recently closed incidents in {}: {}", tracker.where(),
                                       closed.error().to_string()));
        d.stop = true;
        return;
      }
      const bool untrusted = std::any_of(closed->begin(), closed->end(), [&](const github::Issue& issue) {
        return !owner.trusts(issue.user) && parse_marker(issue.body).has_value();
      });
      if (untrusted) {
        trust_the_token();
      }
      input.dashboard = memory_from_closed(*closed, owner);
    }
  }

  const std::vector<int> lookups = needs_lookup(input);
  const auto reopens = reopen_targets(input);
  if (!may_read && (!lookups.empty() || !reopens.empty())) {
    d.needs_reads = true;
    return;
  }
  for (const int number : lookups) {
    auto issue = tracker.get(number);
    const bool known = issue || issue.error().kind == github::ErrorKind::not_found ||
                       issue.error().kind == github::ErrorKind::gone || issue.error().kind == github::ErrorKind::moved;
    if (!known) {
      d.errors.push_back(
          fmt::format("could not look up incident #{} in {}: {}", number, tracker.where(), issue.error().to_string()));
      continue;  // unknown fate: leave the memory as it is and look again next run
    }
    if (auto adopted = still_open_incident(issue, owner)) {
      // Open and labeled, yet missing from the list: the list shifted under concurrent closes
      // (pages are read one by one). It is still this check's incident.
      input.incidents.push_back({number, *adopted});
      tracked.issues.emplace(number, *issue);
      continue;
    }
    input.vanished[number] = fate_of(issue, label);
    if (input.vanished[number].fate == VanishedIncident::Fate::transferred) {
      d.warnings.push_back(
          fmt::format("incident #{} was transferred to another repository; probewatch treats it as gone here", number));
    }
  }

  // A reopen writes to an issue that is not in the open list: it is read first, and only an issue
  // that is still ours may be reopened.
  for (const auto& [number, check] : reopens) {
    auto issue = tracker.get(number);
    if (reopenable(issue, check, owner)) {
      input.reopenable.insert(number);
      tracked.issues.emplace(number, *issue);
    }
  }

  if (request.diagnose) {
    for (const Check* check : request.checks) {
      const CheckResult* found = request.result_of(check->id);
      if (found == nullptr || found->ok) {
        continue;
      }
      const HealthyFingerprint* healthy = nullptr;
      if (input.dashboard) {
        const auto remembered = input.dashboard->hosts.find(host_of(check->url));
        healthy = remembered != input.dashboard->hosts.end() ? &remembered->second : nullptr;
      }
      auto hints = request.diagnose(*check, *found, healthy);
      if (!hints.empty()) {
        d.hints.emplace(check->id, std::move(hints));
      }
    }
  }

  if (!tracked.untrusted.empty()) {
    d.warnings.push_back(untrusted_warning(tracked.untrusted));
  }
  d.plan = reconcile(input);
}

// The maintenance issues pausing checks in `d`, by number.
std::vector<int> maintenance_issues(const Decision& d) {
  std::vector<int> numbers;
  for (const auto& [id, pause] : d.input.paused) {
    if (pause.issue != 0) {
      numbers.push_back(pause.issue);
    }
  }
  std::sort(numbers.begin(), numbers.end());
  numbers.erase(std::unique(numbers.begin(), numbers.end()), numbers.end());
  return numbers;
}

// True when the listing `d` was read with names the maintenance issues that pause checks now: a
// new one is listed in full once, so the listing learns it before it can drop off the page.
bool same_maintenance(const Decision& d) {
  const auto& memory = d.tracked.dashboard;
  return memory && memory->listing && memory->listing->maintenance == maintenance_issues(d);
}

}  // namespace

SyncResult sync_incidents(Tracker& tracker, const IssueWriter& writer, const SyncRequest& request, Clock& clock) {
  SyncResult result;
  const std::string& label = request.issues->bot_label();
  Ownership owner{label, request.policy.config, request.policy.scope, request.in_scope, request.trusted_authors};
  const auto list_failed = [&](const github::Error& error) {
    result.errors.push_back(fmt::format("could not list the open issues labeled \"{}\" in {}: {}", label,
                                        tracker.where(), error.to_string()));
    return result;
  };
  // One page of recently updated issues first: a quiet run needs nothing more (listing.hpp).
  auto page = tracker.recently_updated(label);
  if (!page) {
    return list_failed(page.error());
  }
  std::optional<LabelView> view = *page ? view_from_page(**page, owner) : std::nullopt;
  Decision first;
  const Ownership as_given = owner;
  if (view) {
    decide(first, tracker, writer, request, clock, owner, view->open, view->complete);
  }
  Decision again;
  Decision* chosen = &first;
  if (!view || (!view->complete && (!first.quiet() || !same_maintenance(first)))) {
    auto open = tracker.list_open(label);
    if (!open) {
      return list_failed(open.error());
    }
    owner = as_given;
    decide(again, tracker, writer, request, clock, owner, *open, true);
    chosen = &again;
  }
  Decision& d = *chosen;
  result.listed = true;
  result.labels_seen = std::move(d.labels_seen);
  result.paused = d.input.paused;
  result.warnings = std::move(d.warnings);
  result.errors = std::move(d.errors);
  result.hints = std::move(d.hints);
  if (d.stop) {
    return result;
  }
  Plan& plan = d.plan;
  ReconcileInput& input = d.input;
  const SyncRequest* effective = d.effective;
  const Deployment* last_deploy = d.last_deploy;
  TrackedIssues& tracked = d.tracked;
  if (plan.gap) {
    result.gap = plan.gap;
    result.warnings.push_back(fmt::format(
        "this run started {} after the previous one, though runs are expected every {} (schedule): {} of "
        "monitoring gap recorded, during which nothing was probed",
        format_duration(std::chrono::duration_cast<Millis>(plan.gap->end - plan.gap->start + *request.policy.schedule)),
        format_duration(*request.policy.schedule),
        format_duration(std::chrono::duration_cast<Millis>(plan.gap->length()))));
  }
  if (!plan.deferred.empty()) {
    result.warnings.push_back(
        plan.written_last_hour
            ? fmt::format("{} new incident(s) wait for a later run ({}): this config's runs wrote {} new issues and "
                          "comments in the last hour, and GitHub allows a token about 500 an hour "
                          "(issues.hourly_write_budget: {}), so this run could write {}",
                          plan.deferred.size(), fmt::join(plan.deferred, ", "), *plan.written_last_hour,
                          request.policy.hourly_write_budget, plan.budget)
            : fmt::format("{} new incident(s) wait for the next run ({}): this run spent its write budget of {} new "
                          "issues and comments (issues.write_budget), which keeps probewatch inside GitHub's limits on "
                          "content-creating requests",
                          plan.deferred.size(), fmt::join(plan.deferred, ", "), request.policy.write_budget));
  }
  PlanApplier applier(tracker, writer, *effective, owner, tracked.issues, result.hints, input.now);
  applier.set_live_deploys(live_deploys(tracker, *effective, last_deploy, plan, result.warnings));
  // After a complete read, the dashboard keeps a listing where the label outgrows one page.
  if (*page && (chosen == &again || view->complete)) {
    const auto created = std::count_if(plan.actions.begin(), plan.actions.end(),
                                       [](const Action& a) { return a.kind == ActionKind::create; });
    applier.set_listing_update(worth_listing(**page, static_cast<std::size_t>(created))
                                   ? PlanApplier::ListingUpdate::record
                                   : PlanApplier::ListingUpdate::drop,
                               maintenance_issues(d), latest_but(**page, tracked.dashboard_issue));
  }
  applier.apply(plan, result);
  return result;
}

}  // namespace pw
