#include <bot/reconcile/reconcile.hpp>

#include <bot/reconcile/run_history.hpp>

#include <algorithm>
#include <set>

namespace pw {

namespace {

using Status = CheckMemory::Status;

constexpr std::size_t k_history_reason_bytes = 120;

std::map<std::string, std::vector<const TrackedIncident*>> by_check(const std::vector<TrackedIncident>& incidents) {
  std::map<std::string, std::vector<const TrackedIncident*>> grouped;
  for (const TrackedIncident& incident : incidents) {
    grouped[incident.state.check].push_back(&incident);
  }
  for (auto& [check, list] : grouped) {
    std::sort(list.begin(), list.end(), [](const auto* a, const auto* b) { return kept_first(a->number, b->number); });
  }
  return grouped;
}

Action closing(const std::string& check, int issue, const IncidentState& state, CommentReason comment,
               const char* state_reason) {
  Action action{ActionKind::close, check, issue, state, comment};
  action.state_reason = state_reason;
  return action;
}

void set_status(CheckMemory& memory, Status status, TimePoint now) {
  if (memory.status != status) {
    memory.status = status;
    memory.since = now;
  }
}

// Records what became of an incident the dashboard remembered as open. Returns false when its
// fate is unknown (the lookup failed): the check is then left alone this run.
bool absorb_vanished(CheckMemory& memory, const std::vector<const TrackedIncident*>& open,
                     const std::map<int, VanishedIncident>& vanished) {
  if (memory.incident == 0) {
    return true;
  }
  const bool listed =
      std::any_of(open.begin(), open.end(), [&](const auto* i) { return i->number == memory.incident; });
  if (listed) {
    return true;
  }
  const auto found = vanished.find(memory.incident);
  if (found == vanished.end()) {
    return false;
  }
  {
    switch (found->second.fate) {
      case VanishedIncident::Fate::closed_not_planned:
      case VanishedIncident::Fate::unlabeled:
        memory.muted_by = memory.incident;
        memory.closed = 0;
        break;
      case VanishedIncident::Fate::closed_completed:
      case VanishedIncident::Fate::closed_other:
        memory.closed = memory.incident;
        memory.closed_at = found->second.closed_at;
        break;
      case VanishedIncident::Fate::closed_duplicate:
      case VanishedIncident::Fate::deleted:
      case VanishedIncident::Fate::transferred: break;
    }
  }
  memory.incident = 0;
  return true;
}

struct Reconciler {
  const ReconcileInput& in;
  TimePoint now;
  Plan plan;

  void failing(const CheckOutcome& outcome, const TrackedIncident* current, CheckMemory& memory) {
    const ReconcilePolicy& policy = in.policy;
    const bool paused = in.paused.count(outcome.id) != 0;
    if (current != nullptr) {
      if (!paused) {
        continue_incident(outcome, *current);
      }
      if (memory.status != Status::failing) {
        memory.status = Status::failing;
        memory.since = current->state.first_seen;
      }
      memory.incident = current->number;
      memory.streak = 0;
      memory.muted_by = 0;
      return;
    }
    if (paused) {
      return;  // in maintenance: no incident, and the failing-run count waits for the window to end
    }
    if (memory.muted_by != 0) {
      set_status(memory, Status::muted, now);
      return;
    }
    const bool continuing = memory.status == Status::pending || memory.status == Status::failing;
    const int streak = (continuing ? memory.streak : 0) + 1;
    if (streak < policy.failure_threshold) {
      set_status(memory, Status::pending, now);
      memory.streak = streak;
      return;
    }
    IncidentState state;
    state.check = outcome.id;
    state.config = policy.config;
    state.first_seen = continuing && memory.since != TimePoint{} ? memory.since : now;
    state.last_seen = now;
    state.runs_failed = streak;
    state.signature = outcome.signature;
    state.reported = outcome.signature;
    state.reason = outcome.reason;
    state.last_comment = now;
    state.scope = policy.scope;
    if (memory.closed != 0 && in.reopenable.count(memory.closed) != 0) {
      plan.actions.push_back({ActionKind::reopen, outcome.id, memory.closed, state, CommentReason::reopened});
      memory.incident = memory.closed;
    } else {
      plan.actions.push_back({ActionKind::create, outcome.id, 0, state});
      memory.incident = 0;  // known once the issue exists
    }
    memory.closed = 0;
    memory.closed_at = {};
    memory.status = Status::failing;
    memory.since = state.first_seen;
    // The streak stays until an incident is seen open, so a failed create is retried next run.
    memory.streak = streak;
  }

  // An open incident whose check still fails. Writes only for a real change: the failure changed
  // kind, a comment is due (reminder, or a throttled "changed"), the body is older than the
  // refresh interval, the check had started to pass, or a marker from before owners is adopted.
  // An unchanged failing check costs nothing.
  void continue_incident(const CheckOutcome& outcome, const TrackedIncident& current) {
    const ReconcilePolicy& policy = in.policy;
    IncidentState state = current.state;
    Action comment{ActionKind::comment, outcome.id, current.number};
    const TimePoint last_told = std::max(state.last_comment, state.first_seen);
    if (outcome.signature != state.reported && now - last_told >= policy.change_throttle) {
      comment.comment = CommentReason::changed;
      comment.previous_signature = state.reported;
      comment.previous_reason = state.signature == state.reported ? state.reason : std::string();
    } else if (now - last_told >= policy.reminder) {
      comment.comment = CommentReason::reminder;
    }
    const bool adopt = state.config != policy.config;
    const bool write = comment.comment != CommentReason::none || outcome.signature != state.signature ||
                       now - state.last_seen >= policy.refresh || state.passes != 0 || adopt;
    if (!write) {
      return;
    }
    state.config = policy.config;
    state.runs_failed += 1;
    state.last_seen = now;
    state.passes = 0;
    state.signature = outcome.signature;
    state.reason = outcome.reason;
    if (comment.comment != CommentReason::none) {
      state.last_comment = now;
      state.reported = outcome.signature;
    }
    plan.actions.push_back({ActionKind::update, outcome.id, current.number, state});
    if (comment.comment != CommentReason::none) {
      comment.state = state;
      plan.actions.push_back(std::move(comment));
    }
  }

  void passing(const CheckOutcome& outcome, const TrackedIncident* current, CheckMemory& memory) {
    if (!outcome.host.empty() && (!outcome.server.empty() || !outcome.request_id_header.empty())) {
      plan.dashboard.hosts[outcome.host] = {outcome.server, outcome.request_id_header};
    }
    if (current != nullptr) {
      IncidentState state = current->state;
      state.config = in.policy.config;
      state.passes += 1;
      if (state.passes >= in.policy.success_threshold) {
        plan.actions.push_back(closing(outcome.id, current->number, state, CommentReason::recovered, "completed"));
        plan.dashboard.history.push_back(
            {outcome.id, current->number, state.first_seen, now, state.reason.substr(0, k_history_reason_bytes)});
        set_status(memory, Status::passing, now);
        memory.incident = 0;
        memory.closed = current->number;
        memory.closed_at = now;
      } else {
        plan.actions.push_back({ActionKind::update, outcome.id, current->number, state});
        memory.incident = current->number;
      }
      memory.streak = 0;
      return;
    }
    set_status(memory, Status::passing, now);
    memory.streak = 0;
    memory.muted_by = 0;  // a mute lasts until the check has passed once
  }
};

// Creates past the budget wait: their memory keeps the failing streak and no incident, so the next
// run plans them again. Every other action creates at most one comment and is kept (a recovery or
// a reopen is never postponed), but counts against the budget.
int apply_budget(Plan& plan, int budget) {
  int used = plan.dashboard_issue == 0 && plan.dashboard_changed ? 1 : 0;
  std::vector<Action> kept;
  for (Action& action : plan.actions) {
    const bool creates_content = action.kind != ActionKind::update;
    if (action.kind == ActionKind::create && used >= budget) {
      plan.deferred.push_back(action.check);
      continue;
    }
    used += creates_content ? 1 : 0;
    kept.push_back(std::move(action));
  }
  plan.actions = std::move(kept);
  return used;
}

constexpr Millis k_hour{Millis(3600LL * 1000)};

// Content-creating requests the remembered runs made within the hour before `now`.
int written_within_hour(const DashboardState& state, TimePoint now) {
  int total = 0;
  for (const auto& [at, count] : state.writes) {
    total += at > now - k_hour && at <= now ? count : 0;
  }
  return total;
}

}  // namespace

const char* to_string(ActionKind kind) {
  switch (kind) {
    case ActionKind::create: return "create";
    case ActionKind::update: return "update";
    case ActionKind::comment: return "comment";
    case ActionKind::close: return "close";
    case ActionKind::reopen: return "reopen";
    case ActionKind::close_duplicate: return "close-duplicate";
  }
  return "update";
}

std::vector<std::pair<int, std::string>> reopen_targets(const ReconcileInput& input) {
  std::vector<std::pair<int, std::string>> targets;
  if (!input.dashboard) {
    return targets;
  }
  const TimePoint now = std::chrono::floor<std::chrono::seconds>(input.now);
  const auto grouped = by_check(input.incidents);
  for (const CheckOutcome& outcome : input.outcomes) {
    const auto found = input.dashboard->checks.find(outcome.id);
    if (outcome.ok || outcome.undecided || grouped.count(outcome.id) != 0 || found == input.dashboard->checks.end() ||
        input.paused.count(outcome.id) != 0) {
      continue;
    }
    CheckMemory memory = found->second;
    if (absorb_vanished(memory, {}, input.vanished) && memory.closed != 0 && memory.muted_by == 0 &&
        now - memory.closed_at <= input.policy.reopen_window) {
      targets.emplace_back(memory.closed, outcome.id);
    }
  }
  return targets;
}

std::vector<int> needs_lookup(const ReconcileInput& input) {
  std::vector<int> numbers;
  if (!input.dashboard) {
    return numbers;
  }
  std::set<int> open;
  for (const TrackedIncident& incident : input.incidents) {
    open.insert(incident.number);
  }
  for (const CheckOutcome& outcome : input.outcomes) {
    const auto memory = input.dashboard->checks.find(outcome.id);
    if (memory != input.dashboard->checks.end() && memory->second.incident != 0 &&
        open.count(memory->second.incident) == 0) {
      numbers.push_back(memory->second.incident);
    }
  }
  return numbers;
}

Plan reconcile(const ReconcileInput& input) {
  const TimePoint now = std::chrono::floor<std::chrono::seconds>(input.now);
  Reconciler r{input, now, {}};
  r.plan.dashboard.scope = input.policy.scope;
  r.plan.dashboard.config = input.policy.config;
  if (input.dashboard) {
    // Fingerprints are kept for the hosts still probed; a passing response below refreshes them.
    for (const CheckOutcome& outcome : input.outcomes) {
      const auto known = input.dashboard->hosts.find(outcome.host);
      if (known != input.dashboard->hosts.end()) {
        r.plan.dashboard.hosts.insert(*known);
      }
    }
  }
  r.plan.dashboard_issue = input.dashboard_issue;
  r.plan.paused = input.paused;
  if (input.dashboard) {
    r.plan.dashboard.since = input.dashboard->since;
  }
  if (input.dashboard) {
    // Closed incidents older than uptime looks back are forgotten.
    for (const PastIncident& past : input.dashboard->history) {
      if (now - past.closed <= k_history_days) {
        r.plan.dashboard.history.push_back(past);
      }
    }
  }
  r.plan.extra_dashboards = input.extra_dashboards;
  const auto grouped = by_check(input.incidents);
  static const std::vector<const TrackedIncident*> k_none;

  std::set<std::string> configured;
  for (const CheckOutcome& outcome : input.outcomes) {
    configured.insert(outcome.id);
    CheckMemory memory;
    memory.since = now;
    if (input.dashboard) {
      const auto found = input.dashboard->checks.find(outcome.id);
      if (found != input.dashboard->checks.end()) {
        memory = found->second;
      }
    }
    if (outcome.undecided) {
      // No verdict this run: nothing is opened, closed or counted; the memory is kept as it was.
      if (!memory.trivial()) {
        r.plan.dashboard.checks[outcome.id] = std::move(memory);
      }
      continue;
    }
    const auto open_it = grouped.find(outcome.id);
    const auto& open = open_it != grouped.end() ? open_it->second : k_none;
    if (!absorb_vanished(memory, open, input.vanished)) {
      r.plan.dashboard.checks[outcome.id] = std::move(memory);
      continue;
    }
    if (memory.closed != 0 && now - memory.closed_at > input.policy.reopen_window) {
      memory.closed = 0;  // past the reopen window: nothing left to remember
      memory.closed_at = {};
    }
    for (std::size_t i = 1; i < open.size(); ++i) {
      Action duplicate = closing(outcome.id, open[i]->number, open[i]->state, CommentReason::duplicate, "duplicate");
      duplicate.kind = ActionKind::close_duplicate;
      duplicate.duplicate_of = open[0]->number;
      r.plan.actions.push_back(std::move(duplicate));
    }
    const TrackedIncident* current = open.empty() ? nullptr : open[0];
    if (outcome.ok) {
      r.passing(outcome, current, memory);
    } else {
      r.failing(outcome, current, memory);
    }
    if (!memory.trivial()) {
      r.plan.dashboard.checks[outcome.id] = std::move(memory);
    }
  }

  if (r.plan.dashboard.history.size() > k_history_limit) {
    const auto excess = static_cast<std::ptrdiff_t>(r.plan.dashboard.history.size() - k_history_limit);
    r.plan.dashboard.history.erase(r.plan.dashboard.history.begin(), r.plan.dashboard.history.begin() + excess);
  }
  if (!input.policy.keep_orphans) {
    for (const auto& [check, open] : grouped) {
      if (configured.count(check) != 0) {
        continue;
      }
      for (const TrackedIncident* incident : open) {
        if (incident->state.config != input.policy.config) {
          continue;  // a marker from before owners: it may be another config's, so it is never closed
        }
        r.plan.actions.push_back(
            closing(check, incident->number, incident->state, CommentReason::removed, "not_planned"));
      }
    }
  }
  if (input.dashboard) {
    r.plan.dashboard.deploy = input.dashboard->deploy;
  }
  if (input.deployment && rolling_out(*input.deployment) &&
      (!r.plan.dashboard.deploy || r.plan.dashboard.deploy->created_at <= input.deployment->created_at)) {
    r.plan.dashboard.deploy = remembered_deploy(*input.deployment);
  }
  if (input.dashboard) {
    r.plan.dashboard.last_run = input.dashboard->last_run;
    r.plan.dashboard.gaps = input.dashboard->gaps;
    r.plan.dashboard.writes = input.dashboard->writes;
    r.plan.dashboard.listing = input.dashboard->listing;  // sync replaces it after a complete listing
  }
  if (input.policy.dashboard) {
    r.plan.gap = record_run(r.plan.dashboard, now, {input.policy.schedule, input.policy.record_every});
    // Response times: this run's samples join the open hour; the hour closes (and so the dashboard
    // is written for them) at most once an hour. Samples alone never make a write.
    if (input.dashboard) {
      r.plan.dashboard.response = input.dashboard->response;
    }
    std::vector<ResponseSample> samples;
    for (const CheckOutcome& outcome : input.outcomes) {
      samples.push_back({outcome.id, outcome.response_ms, outcome.chart});
    }
    record_response_times(r.plan.dashboard.response, now, samples);
  }
  bool changed = !input.dashboard || input.dashboard_issue == 0;
  if (!changed) {
    DashboardState before = *input.dashboard;
    std::erase_if(before.checks, [](const auto& entry) { return entry.second.trivial(); });
    before.response = without_open_samples(std::move(before.response));
    DashboardState after = r.plan.dashboard;
    after.response = without_open_samples(std::move(after.response));
    changed = before != after;
    if (!changed) {
      // This run's samples are not worth a write of their own: the memory stays as it was.
      r.plan.dashboard.response = input.dashboard->response;
    }
  }
  if (r.plan.dashboard.since == TimePoint{} && (changed || !input.dashboard)) {
    // Uptime counts from the first run the dashboard remembers; a dashboard from before uptime
    // learns it with its next edit, so a quiet run still writes nothing.
    r.plan.dashboard.since = now;
  }
  r.plan.dashboard_changed = input.policy.dashboard && changed;
  const int written = written_within_hour(r.plan.dashboard, now);
  const int hourly_left = std::max(0, input.policy.hourly_write_budget - written);
  r.plan.budget = std::min(input.policy.write_budget, hourly_left);
  if (hourly_left < input.policy.write_budget) {
    r.plan.written_last_hour = written;
  }
  const int used = apply_budget(r.plan, r.plan.budget);
  if (used > 0 && r.plan.dashboard_changed) {
    // Remembered for the next runs' hourly budget when the dashboard is written anyway (new
    // incidents, recoveries): a run whose only writes are reminders spends no request on counting
    // them. Old entries go only now, so a quiet run never writes just to forget.
    std::erase_if(r.plan.dashboard.writes, [&](const auto& entry) { return entry.first <= now - k_hour; });
    r.plan.dashboard.writes.emplace_back(now, used);
  }
  if (!input.policy.dashboard) {
    r.plan.extra_dashboards.clear();
  }
  return std::move(r.plan);
}

}  // namespace pw
