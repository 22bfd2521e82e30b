#include <bot/incidents/apply.hpp>

#include <bot/core/duration.hpp>
#include <bot/core/text.hpp>
#include <bot/core/timestamp.hpp>
#include <bot/incidents/sync_state.hpp>

#include <github_client/iso8601.hpp>

#include <fmt/format.h>

#include <algorithm>

namespace pw {

namespace {

const std::vector<Hint> k_no_hints;

// Labels in order, without repeats; GitHub compares label names without case.
std::vector<std::string> merged(std::vector<std::string> first, const std::vector<std::string>& more) {
  for (const std::string& item : more) {
    if (!has_label(first, item)) {
      first.push_back(item);
    }
  }
  return first;
}

// The hidden line that makes a step's comment recognisable when a later run finishes the step.
std::string step_tag(std::string_view step, std::string_view key) {
  return fmt::format("<!-- probewatch:step {} {} -->", step, key);
}

std::optional<TimePoint> time_of(const std::string& text) {
  auto parsed = github::parse_iso8601(text);
  return parsed ? std::optional(*parsed) : std::nullopt;
}

constexpr const char* k_bot_label_color = "b60205";
constexpr const char* k_label_color = "ededed";

const char* comment_words(CommentReason reason) {
  switch (reason) {
    case CommentReason::changed: return "the failure changed";
    case CommentReason::reminder: return "still failing (reminder)";
    case CommentReason::recovered: return "recovered";
    case CommentReason::reopened: return "failing again";
    case CommentReason::duplicate: return "duplicate";
    case CommentReason::removed: return "check removed from the configuration";
    case CommentReason::none: return "";
  }
  return "";
}

}  // namespace

void PlanApplier::record(SyncResult& result, ActionKind kind, const std::string& check, int issue, std::string detail,
                         std::string title) {
  const auto found = m_issues.find(issue);
  std::string url = found != m_issues.end() ? found->second.html_url : "";
  result.actions.push_back({kind, check, issue, std::move(url), std::move(title), std::move(detail)});
}

void PlanApplier::failed(SyncResult& result, const std::string& what, const github::Error& error) {
  result.errors.push_back(fmt::format("could not {} in {}: {}", what, m_tracker.where(), error.to_string()));
}

std::optional<IncidentFacts> PlanApplier::facts_for(const Action& action) const {
  const auto check = m_checks.find(action.check);
  const CheckResult* found = m_request.result_of(action.check);
  if (check == m_checks.end() || found == nullptr) {
    return std::nullopt;
  }
  const auto found_hints = m_hints.find(action.check);
  const std::vector<Hint>* hints = found_hints != m_hints.end() ? &found_hints->second : &k_no_hints;
  const auto deploy = m_deploys.find(action.check);
  const LiveDeploy* live =
      action.comment == CommentReason::recovered && deploy != m_deploys.end() ? &deploy->second : nullptr;
  return IncidentFacts{*check->second, *found, action.state, *hints, m_request.issues->success_threshold, live};
}

bool PlanApplier::comment_once(int number, const std::string& body, const std::string& tag,
                               std::optional<TimePoint> since, const std::string& what, SyncResult& result) {
  auto earlier = m_tracker.comments(number, since);
  if (!earlier) {
    failed(result, fmt::format("read the comments of #{} before {}", number, what), earlier.error());
    return false;
  }
  const bool posted = std::any_of(earlier->begin(), earlier->end(),
                                  [&](const github::Comment& c) { return c.body.find(tag) != std::string::npos; });
  if (posted) {
    return true;
  }
  auto done = m_tracker.comment(number, body + "\n\n" + tag);
  if (!done) {
    failed(result, fmt::format("comment on #{} before {}", number, what), done.error());
    return false;
  }
  // Two runs racing on one step may both have found no comment and posted one. The earliest
  // stands, and the run that wrote a later one deletes it, so the thread is left with one.
  auto after = m_tracker.comments(number, since);
  if (!after) {
    return true;  // ours is posted; a race, if there was one, stays visible
  }
  std::int64_t first = done->id;
  for (const github::Comment& comment : *after) {
    if (comment.body.find(tag) != std::string::npos) {
      first = std::min(first, comment.id);
    }
  }
  if (first != done->id) {
    if (auto deleted = m_tracker.delete_comment(number, done->id); !deleted) {
      result.warnings.push_back(
          fmt::format("another run commented on #{} at the same time; its comment and ours "
                      "both stay, since deleting ours failed: {}",
                      number, deleted.error().message));
    }
  }
  return true;
}

void PlanApplier::ensure_labels(const std::vector<std::string>& labels, SyncResult& result) {
  for (const std::string& name : labels) {
    const std::string key = to_lower(name);
    if (result.labels_seen.count(key) != 0 || !m_labels_ensured.insert(key).second) {
      continue;
    }
    const bool bot = key == to_lower(m_request.issues->bot_label());
    github::Label label{name, bot ? k_bot_label_color : k_label_color,
                        bot ? "Managed by probewatch: one issue per failing check" : ""};
    if (auto made = m_tracker.ensure_label(label); !made) {
      failed(result, fmt::format("create the label \"{}\"", name), made.error());
    }
  }
}

void PlanApplier::check_labels_kept(const github::Issue& created, const std::vector<std::string>& wanted,
                                    SyncResult& result) {
  std::vector<std::string> dropped;
  for (const std::string& label : wanted) {
    if (!has_label(created.labels, label)) {
      dropped.push_back(label);
    }
  }
  if (dropped.empty()) {
    return;
  }
  m_unfindable = m_unfindable || !has_label(created.labels, m_request.issues->bot_label());
  result.errors.push_back(fmt::format(
      "GitHub dropped the label(s) {} from #{} in {}: the token may not set labels, so probewatch cannot find this "
      "issue again. Give the workflow `permissions: issues: write` (a fine-grained token needs Issues: read and "
      "write; a GitHub App, the Issues permission), then label #{} \"{}\" by hand",
      fmt::join(dropped, ", "), created.number, m_tracker.where(), created.number, m_request.issues->bot_label()));
}

TrackerResult<github::Issue> PlanApplier::create_incident(github::NewIssue& issue, const Check& check,
                                                          SyncResult& result) {
  auto created = m_tracker.create(issue);
  if (created || created.error().kind != github::ErrorKind::validation || created.error().may_have_applied) {
    return created;
  }
  // GitHub refuses the whole issue over an assignee who may not be assigned or an issue type the
  // organization lacks. The outage matters more: open it without them, once, and say what to fix.
  bool retry = false;
  for (const github::ValidationError& invalid : created.error().errors) {
    if (invalid.field == "assignees" && !issue.assignees.empty()) {
      result.warnings.push_back(fmt::format(
          "GitHub refused to assign {} to the incident for {} in {} ({}): opened it without assignees. Give "
          "them access to the repository, or fix owners:/assignees: of the check",
          invalid.value.empty() ? fmt::format("{}", fmt::join(issue.assignees, ", ")) : invalid.value, check.id,
          m_tracker.where(), github::describe(invalid)));
      issue.assignees.clear();
      retry = true;
    } else if (invalid.field == "type" && issue.type) {
      result.warnings.push_back(fmt::format(
          "GitHub refused the issue type \"{}\" for the incident for {} in {} ({}): opened it without a type. Use "
          "one of the organization's issue types in type: of the check, or remove it",
          *issue.type, check.id, m_tracker.where(), github::describe(invalid)));
      issue.type.reset();
      retry = true;
    }
  }
  return retry ? m_tracker.create(issue) : created;
}

void PlanApplier::check_people_kept(const github::Issue& created, const github::NewIssue& wanted, const Check& check,
                                    SyncResult& result) {
  std::vector<std::string> dropped;
  for (const std::string& login : wanted.assignees) {
    if (!has_label(created.assignees, login)) {  // logins compare without case, as labels do
      dropped.push_back(login);
    }
  }
  if (!dropped.empty()) {
    result.warnings.push_back(
        fmt::format("GitHub did not assign {} to #{} in {}: the token may not set assignees (it needs push access), so "
                    "they were not notified. Give the workflow `permissions: issues: write`, or assign them by hand",
                    fmt::join(dropped, ", "), created.number, m_tracker.where()));
  }
  const bool teams = std::any_of(check.owners.begin(), check.owners.end(), [](const Owner& o) { return o.team; });
  if (teams && to_lower(created.user) == "github-actions[bot]") {
    result.warnings.push_back(fmt::format(
        "#{} mentions the team owners of {}, but GitHub does not resolve team mentions written by "
        "github-actions[bot] (GITHUB_TOKEN), so the team was not notified: run probewatch with a GitHub App token "
        "that may read the organization's members (or a token with read:org), or list the people in owners:",
        created.number, check.id));
  }
  if (wanted.type && created.type.empty()) {
    result.warnings.push_back(
        fmt::format("GitHub did not set the issue type \"{}\" on #{} in {} (check {}): the "
                    "token may not set types (it needs push access)",
                    *wanted.type, created.number, m_tracker.where(), check.id));
  }
}

void PlanApplier::apply(Plan& plan, SyncResult& result) {
  for (const Check* check : m_request.checks) {
    m_checks.emplace(check->id, check);
  }
  const auto stopping = [&] { return m_request.stopping && m_request.stopping(); };
  for (const Action& action : plan.actions) {
    if (stopping()) {
      // Each action is whole (a step cut off midway is finished by the next run's tags); the
      // dashboard would remember actions not taken, so it waits for the next run as well.
      result.warnings.push_back("stopped before the whole plan was applied; the next run finishes it");
      return;
    }
    run_action(action, plan, result);
  }
  for (const int extra : plan.extra_dashboards) {
    if (m_request.dry_run) {
      record(result, ActionKind::close_duplicate, "", extra, "duplicate dashboard");
      continue;
    }
    github::IssueUpdate change;
    change.state = "closed";
    change.state_reason = "duplicate";
    if (auto closed = m_tracker.update(extra, change); !closed) {
      failed(result, fmt::format("close duplicate dashboard #{}", extra), closed.error());
    } else {
      record(result, ActionKind::close_duplicate, "", extra, "duplicate dashboard");
    }
  }
  if (stopping()) {
    result.warnings.push_back("stopped before the dashboard was written; the next run writes it");
    return;
  }
  if (m_created && !m_request.dry_run) {
    recheck_duplicates(plan, result);
  }
  write_dashboard(plan, result);
  if (!m_not_created.empty()) {
    result.errors.push_back(fmt::format(
        "did not open {} more issue(s) ({}) in {}: GitHub dropped the label \"{}\" from the last one "
        "created, and an issue without it would be lost and opened again by every run; the next run opens "
        "them once the token may set labels",
        m_not_created.size(), fmt::join(m_not_created, ", "), m_tracker.where(), m_request.issues->bot_label()));
  }
  for (const auto& [id, memory] : plan.dashboard.checks) {
    if (memory.incident != 0) {
      result.incidents[id] = memory.incident;
      if (const auto issue = m_issues.find(memory.incident);
          issue != m_issues.end() && !issue->second.html_url.empty()) {
        result.incident_urls[id] = issue->second.html_url;
      }
    }
  }
}

void PlanApplier::run_action(const Action& action, Plan& plan, SyncResult& result) {
  switch (action.kind) {
    case ActionKind::create: create(action, plan, result); return;
    case ActionKind::reopen: reopen(action, plan, result); return;
    case ActionKind::close:
    case ActionKind::close_duplicate: close(action, result); return;
    case ActionKind::update: update(action, result); return;
    case ActionKind::comment: {
      auto facts = facts_for(action);
      if (!facts) {
        return;
      }
      auto text = m_writer.comment(action, *facts);
      if (!text) {
        result.errors.push_back(text.error().message);
        return;
      }
      if (!m_request.dry_run) {
        if (auto done = m_tracker.comment(action.issue, *text); !done) {
          failed(result, fmt::format("comment on #{} ({})", action.issue, action.check), done.error());
          return;
        }
      }
      record(result, ActionKind::comment, action.check, action.issue, comment_words(action.comment));
      return;
    }
  }
}

void PlanApplier::create(const Action& action, Plan& plan, SyncResult& result) {
  auto facts = facts_for(action);
  if (!facts) {
    return;
  }
  auto rendered = m_writer.new_incident(*facts);
  if (!rendered) {
    result.errors.push_back(rendered.error().message);
    return;
  }
  const Check& check = facts->check;
  github::NewIssue issue;
  issue.title = rendered->front.title;
  issue.body = rendered->body;
  issue.labels = merged(merged(m_request.issues->labels, check.labels), rendered->front.labels);
  issue.assignees =
      merged(check.assignees.empty() ? m_request.issues->assignees : check.assignees, rendered->front.assignees);
  for (const Owner& owner : check.owners) {
    if (!owner.team) {
      issue.assignees = merged(std::move(issue.assignees), {owner.name});
    }
  }
  issue.milestone = m_request.issues->milestone;
  issue.type = check.issue_type;
  if (m_request.dry_run) {
    record(result, ActionKind::create, action.check, 0, "", issue.title);
    return;
  }
  if (m_unfindable) {
    m_not_created.push_back(action.check);
    return;
  }
  ensure_labels(issue.labels, result);
  auto created = create_incident(issue, check, result);
  if (!created) {
    failed(result, fmt::format("open an incident for {}", action.check), created.error());
    return;
  }
  check_labels_kept(*created, issue.labels, result);
  check_people_kept(*created, issue, check, result);
  if (!created->user.empty() && !m_owner.trusts(created->user)) {
    m_owner.trusted.push_back(created->user);  // what the token writes as is ours, for the recheck below
  }
  m_created = true;
  m_issues[created->number] = *created;
  CheckMemory& memory = plan.dashboard.checks[action.check];
  memory.incident = created->number;
  memory.streak = 0;
  record(result, ActionKind::create, action.check, created->number, "", created->title);
}

void PlanApplier::reopen(const Action& action, Plan& plan, SyncResult& result) {
  auto facts = facts_for(action);
  const auto current = m_issues.find(action.issue);
  if (!facts || current == m_issues.end()) {
    return;
  }
  if (m_request.dry_run) {
    record(result, ActionKind::reopen, action.check, action.issue, "failing again within the reopen window");
    return;
  }
  auto body = m_writer.updated_body(current->second.body, *facts);
  auto comment = m_writer.comment(action, *facts);
  if (!body || !comment) {
    result.errors.push_back(!body ? body.error().message : comment.error().message);
    return;
  }
  // Comment first, tagged with the close it undoes: a run cut off before the reopen comes back to
  // a closed issue, reopens it and finds its comment already there.
  const auto closed_at = time_of(current->second.closed_at);
  const std::string tag = step_tag("reopened", current->second.closed_at);
  if (!comment_once(action.issue, *comment, tag, closed_at, fmt::format("reopening it ({})", action.check), result)) {
    return;  // still closed; the memory keeps it, so the next run tries the reopen again
  }
  github::IssueUpdate change;
  change.body = *body;
  change.state = "open";
  change.state_reason = "reopened";
  auto reopened = m_tracker.update(action.issue, change);
  if (!reopened) {
    failed(result, fmt::format("reopen #{} ({})", action.issue, action.check), reopened.error());
    CheckMemory& memory = plan.dashboard.checks[action.check];
    memory.incident = 0;
    memory.closed = action.issue;
    memory.closed_at = closed_at.value_or(m_now);
    return;
  }
  m_issues[action.issue] = *reopened;
  record(result, ActionKind::reopen, action.check, action.issue, "failing again within the reopen window",
         reopened->title);
}

void PlanApplier::close(const Action& action, SyncResult& result) {
  const bool recovered = action.comment == CommentReason::recovered;
  auto facts = recovered ? facts_for(action) : std::nullopt;
  if (recovered && !facts) {
    return;
  }
  auto comment = recovered ? m_writer.comment(action, *facts)
                 : action.comment == CommentReason::duplicate
                     ? m_writer.duplicate_comment(action.check, action.duplicate_of)
                     : m_writer.removed_comment(action.check);
  if (!comment) {
    result.errors.push_back(comment.error().message);
    return;
  }
  github::IssueUpdate change;
  change.state = "closed";
  change.state_reason = action.state_reason;
  const auto current = m_issues.find(action.issue);
  if (recovered && current != m_issues.end()) {
    auto body = m_writer.updated_body(current->second.body, *facts);
    if (body && *body != current->second.body) {
      change.body = *body;
    }
  }
  std::string detail =
      recovered ? fmt::format("recovered after {}",
                              format_duration(std::chrono::duration_cast<Millis>(m_now - action.state.first_seen)))
                : comment_words(action.comment);
  if (action.kind == ActionKind::close_duplicate) {
    detail = fmt::format("duplicate of #{}", action.duplicate_of);
  }
  if (!m_request.dry_run) {
    // Comment first, tagged with this outage (its first and last failing runs: a reopened incident
    // recovers under a new tag): if the close then fails, the next run closes again and finds its
    // comment there instead of writing a second one.
    std::string key = action.kind == ActionKind::close_duplicate ? fmt::format("#{}", action.duplicate_of)
                                                                 : format_timestamp(action.state.first_seen);
    if (action.kind != ActionKind::close_duplicate) {
      key += "..";
      key += format_timestamp(action.state.last_seen);
    }
    const std::string tag = step_tag(
        to_string(action.kind == ActionKind::close_duplicate ? ActionKind::close_duplicate : ActionKind::close), key);
    const std::optional<TimePoint> since =
        action.state.last_seen == TimePoint{} ? std::nullopt : std::optional(action.state.last_seen);
    if (!comment_once(action.issue, *comment, tag, since, fmt::format("closing it ({})", action.check), result)) {
      return;
    }
    auto closed = m_tracker.update(action.issue, change);
    if (!closed) {
      failed(result, fmt::format("close #{} ({})", action.issue, action.check), closed.error());
      return;
    }
    if (current != m_issues.end()) {
      current->second = *closed;
    }
  }
  record(result, action.kind, action.check, action.issue, std::move(detail));
}

void PlanApplier::update(const Action& action, SyncResult& result) {
  auto facts = facts_for(action);
  const auto current = m_issues.find(action.issue);
  if (!facts || current == m_issues.end()) {
    return;
  }
  auto body = m_writer.updated_body(current->second.body, *facts);
  if (!body) {
    result.errors.push_back(body.error().message);
    return;
  }
  const std::vector<std::string> wanted = merged(m_request.issues->labels, facts->check.labels);
  std::vector<std::string> missing;
  for (const std::string& label : wanted) {
    if (!has_label(current->second.labels, label)) {
      missing.push_back(label);
    }
  }
  if (*body == current->second.body && missing.empty()) {
    return;
  }
  if (!m_request.dry_run) {
    if (*body != current->second.body) {
      github::IssueUpdate change;
      change.body = *body;
      auto updated = m_tracker.update(action.issue, change);
      if (!updated) {
        failed(result, fmt::format("update #{} ({})", action.issue, action.check), updated.error());
        return;
      }
      current->second = *updated;
    }
    if (!missing.empty()) {
      // Labels are added, never replaced: people's labels stay.
      if (auto added = m_tracker.add_labels(action.issue, missing); !added) {
        failed(result, fmt::format("add labels to #{} ({})", action.issue, action.check), added.error());
      }
    }
  }
  record(result, ActionKind::update, action.check, action.issue,
         facts->result.ok ? fmt::format("passing {} of {}", action.state.passes, m_request.issues->success_threshold)
                          : fmt::format("still failing ({} runs)", action.state.runs_failed));
}

void PlanApplier::recheck_duplicates(Plan& plan, SyncResult& result) {
  auto open = m_tracker.list_open(m_request.issues->bot_label());
  if (!open) {
    failed(result, "list the open incidents again to check for duplicates", open.error());
    return;
  }
  const TrackedIssues tracked = sort_out(*open, m_owner);
  std::map<std::string, std::vector<int>> numbers;
  for (const TrackedIncident& incident : tracked.incidents) {
    numbers[incident.state.check].push_back(incident.number);
  }
  for (auto& [check, list] : numbers) {
    std::sort(list.begin(), list.end());
    if (list.size() > 1 && plan.dashboard.checks.count(check) != 0) {
      plan.dashboard.checks[check].incident = list.front();
    }
    for (std::size_t i = 1; i < list.size(); ++i) {
      // Two runs raced: keep the lowest number, close the others in its favour.
      Action duplicate{ActionKind::close_duplicate, check, list[i]};
      duplicate.comment = CommentReason::duplicate;
      duplicate.duplicate_of = list.front();
      duplicate.state_reason = "duplicate";
      close(duplicate, result);
    }
  }
}

}  // namespace pw
