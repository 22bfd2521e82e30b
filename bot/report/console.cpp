#include <bot/report/quorum.hpp>
#include <bot/report/console.hpp>

#include <bot/core/text.hpp>
#include <bot/core/timestamp.hpp>
#include <bot/report/verdict.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <map>

namespace pw {

namespace {

// Display width in characters (UTF-8 continuation bytes do not count).
std::size_t width_of(std::string_view text) {
  return static_cast<std::size_t>(
      std::count_if(text.begin(), text.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

std::string padded(const std::string& text, std::size_t width) {
  return text + std::string(width > width_of(text) ? width - width_of(text) : 0, ' ');
}

std::string one_line(std::string text, std::size_t max) {
  std::replace(text.begin(), text.end(), '\n', ' ');
  std::replace(text.begin(), text.end(), '\r', ' ');
  text = sanitize_utf8(text);
  return text.size() > max ? std::string(utf8_prefix(text, max)) + "…" : text;
}

// One line per check whose vantages disagree or are not all known: a vantage failing alone is
// shown here though it files nothing.
std::string vantage_lines(const RunReport& report) {
  const Redactor& secrets = report.config->secrets;
  std::string out;
  for (const CheckResult& result : report.results) {
    const std::string seen = vantages_not_passing(result);
    if (seen.empty()) {
      continue;
    }
    const QuorumVerdict& verdict = *result.vantages;
    out += secrets.apply(one_line(
               fmt::format("{}: vantages {} of {} failing, {} unknown (quorum {}): {}", report.name_of(result.id),
                           verdict.failing, verdict.rows.size(), verdict.unknown, verdict.quorum, seen),
               400)) +
           "\n";
  }
  return out;
}

// ", 2m12s after the deployment began" on a deployment_status run, else "".
std::string since_deployment(const RunReport& report, const WaitSummary& wait) {
  if (!report.deployment || !report.generated_at || *report.generated_at < report.deployment->created_at) {
    return "";
  }
  const auto served =
      std::chrono::duration_cast<Millis>(*report.generated_at + wait.waited - report.deployment->created_at);
  return fmt::format(", {} after the deployment began",
                     format_duration(std::chrono::floor<std::chrono::seconds>(served)));
}

}  // namespace

std::string results_table(const RunReport& report) {
  const Redactor& secrets = report.config->secrets;
  std::vector<std::array<std::string, 5>> rows;
  rows.push_back({"VERDICT", "CHECK", "STATUS", "TIME", "REASON"});
  for (const CheckResult& result : report.results) {
    const std::string reason = !result.ok        ? one_line(secrets.apply(reason_of(result)), 100)
                               : result.degraded ? result.degraded_reason
                                                 : "";
    const bool deploying = report.deploying.count(result.id) != 0;
    rows.push_back({result.undecided() ? "no-quorum"
                    : !result.ok       ? (deploying ? "deploying" : "FAIL")
                    : result.degraded  ? "degraded"
                                       : "ok",
                    one_line(secrets.apply(report.name_of(result.id)), 60),
                    result.evidence.status ? std::to_string(*result.evidence.status) : "-",
                    format_duration(result.evidence.response_time), reason});
  }
  std::array<std::size_t, 5> widths{};
  for (const auto& row : rows) {
    for (std::size_t i = 0; i < row.size(); ++i) {
      widths[i] = std::max(widths[i], width_of(row[i]));
    }
  }
  std::string out;
  for (const auto& row : rows) {
    std::string line;
    for (std::size_t i = 0; i < row.size(); ++i) {
      line += i + 1 == row.size() ? row[i] : padded(row[i], widths[i]) + "  ";
    }
    while (!line.empty() && line.back() == ' ') {
      line.pop_back();
    }
    out += line + "\n";
  }
  const std::size_t degraded = report.degraded();
  out += fmt::format("{} {}, {} failing{}\n", report.results.size(), report.results.size() == 1 ? "check" : "checks",
                     report.failing(), degraded > 0 ? fmt::format(", {} degraded", degraded) : "");
  out += vantage_lines(report);
  for (const auto& [id, wait] : report.waits) {
    if (wait.polls == 0 && wait.passed) {
      continue;  // passed at once: nothing was waited for
    }
    out += secrets.apply(one_line(
               wait.passed ? fmt::format("{}: the rollout took {} ({} polls){}", report.name_of(id),
                                         format_duration(wait.waited), wait.polls, since_deployment(report, wait))
                           : fmt::format("{}: still failing after waiting {} ({} polls): {}", report.name_of(id),
                                         format_duration(wait.waited), wait.polls, wait.last),
               400)) +
           "\n";
  }
  for (const CheckResult& result : report.results) {
    const auto hints = report.hints.find(result.id);
    if (hints == report.hints.end()) {
      continue;
    }
    for (const Hint& hint : hints->second) {
      out += secrets.apply(one_line(fmt::format("likely cause for {}: {}{}", report.name_of(result.id), hint.title,
                                                hint.evidence.empty() ? "" : " (" + hint.evidence + ")"),
                                    300)) +
             "\n";
    }
  }
  return out;
}

namespace {

// What a change was about, for one line: the failure for an opened or reopened incident, else
// the applier's words.
std::string why_of(const RunReport& report, const AppliedAction& action) {
  if (action.kind == ActionKind::create || action.kind == ActionKind::reopen) {
    const auto result = std::find_if(report.results.begin(), report.results.end(),
                                     [&](const CheckResult& r) { return r.id == action.check; });
    if (result != report.results.end() && !result->ok) {
      return action.kind == ActionKind::create ? reason_of(*result) : "failing again: " + reason_of(*result);
    }
  }
  return action.detail;
}

const char* verb_of(ActionKind kind, bool dry_run) {
  switch (kind) {
    case ActionKind::create: return dry_run ? "would open" : "opened";
    case ActionKind::update: return dry_run ? "would update" : "updated";
    case ActionKind::comment: return dry_run ? "would comment on" : "commented on";
    case ActionKind::close:
    case ActionKind::close_duplicate: return dry_run ? "would close" : "closed";
    case ActionKind::reopen: return dry_run ? "would reopen" : "reopened";
  }
  return "changed";
}

}  // namespace

ChangeLine describe_change(const RunReport& report, const AppliedAction& action) {
  const Redactor& secrets = report.config->secrets;
  ChangeLine line;
  line.verb = verb_of(action.kind, report.dry_run);
  line.issue = action.issue != 0 ? fmt::format("#{}", action.issue) : "a new issue";
  line.title = secrets.apply(one_line(!action.title.empty()  ? action.title
                                      : action.check.empty() ? std::string("dashboard")
                                                             : report.name_of(action.check),
                                      120));
  line.why = secrets.apply(one_line(why_of(report, action), 160));
  line.url = report.dry_run ? "" : secrets.apply(action.url);
  return line;
}

std::string action_line(const RunReport& report, const AppliedAction& action) {
  const ChangeLine change = describe_change(report, action);
  std::string line = fmt::format("{} {} {}", change.verb, change.issue, change.title);
  if (!change.why.empty()) {
    line += ": " + change.why;
  }
  if (!change.url.empty()) {
    line += " " + change.url;
  }
  return line;
}

std::string actions_text(const RunReport& report) {
  std::string out;
  for (const AppliedAction& action : report.actions) {
    out += action_line(report, action) + "\n";
  }
  return out;
}

std::string changes_summary(const RunReport& report) {
  std::map<std::string, std::size_t> counts;
  for (const AppliedAction& action : report.actions) {
    ++counts[verb_of(action.kind, false)];
  }
  std::string changes;
  for (const char* verb : {"opened", "reopened", "updated", "commented on", "closed"}) {
    if (const auto found = counts.find(verb); found != counts.end()) {
      changes += changes.empty() ? "" : ", ";
      changes += fmt::format("{} {}", found->second, verb);
    }
  }
  if (changes.empty()) {
    changes = "no issue changes";
  } else {
    changes = (report.dry_run ? "issues (dry run, nothing written): " : "issues: ") + changes;
  }
  std::string out = fmt::format("{}; {} of {} {} failing", changes, report.failing(), report.results.size(),
                                report.results.size() == 1 ? "check" : "checks");
  if (!report.errors.empty()) {
    out += fmt::format("; {} {} left undone (below)", report.errors.size(),
                       report.errors.size() == 1 ? "change" : "changes");
  }
  return out + "\n";
}

void ProgressLine::update(std::size_t done, std::size_t total, bool ok) {
  std::lock_guard lock(m_mutex);
  m_failing += ok ? 0 : 1;
  if (!m_enabled) {
    return;
  }
  m_out << fmt::format("\r\x1b[2K[{}/{}] probing… {} failing", done, total, m_failing) << std::flush;
  m_shown = true;
}

void ProgressLine::finish() {
  std::lock_guard lock(m_mutex);
  if (m_enabled && m_shown) {
    m_out << "\r\x1b[2K" << std::flush;
  }
}

std::string maintenance_text(const RunReport& report) {
  std::string out = "in maintenance (a failure opens no incident and sends no reminder):\n";
  std::size_t width = 0;
  for (const auto& [id, pause] : report.maintenance) {
    width = std::max(width, id.size());
  }
  const Redactor* secrets = report.config != nullptr ? &report.config->secrets : nullptr;
  for (const auto& [id, pause] : report.maintenance) {
    const std::string by = secrets != nullptr ? secrets->apply(pause.by) : pause.by;
    const std::string until =
        pause.until == TimePoint{} ? std::string("the issue is closed") : format_human_time(pause.until);
    out += fmt::format("  {:<{}}  {}{}, until {}\n", id, width, pause.issue != 0 ? "issue " : "", by, until);
  }
  return out;
}

std::string deployment_text(const Deployment& deployment, std::size_t expecting, const Redactor& secrets) {
  std::string text = fmt::format("deployment {}", short_sha(deployment.sha));
  if (!deployment.ref.empty() && !iequals(deployment.ref, deployment.sha)) {
    text += fmt::format(" ({})", deployment.ref);
  }
  if (!deployment.environment.empty()) {
    text += fmt::format(" to {}", deployment.environment);
  }
  text += fmt::format(": {} at {}, begun {}", deployment.state, format_human_time(deployment.status_at),
                      format_human_time(deployment.created_at));
  if (!rolling_out(deployment)) {
    text += "; it is not rolling out, so no check waits for it and failures count as usual";
  } else if (expecting > 0) {
    text += fmt::format("; {} {} with version: must serve it", expecting, expecting == 1 ? "check" : "checks");
  }
  return one_line(secrets.apply(text), 400) + "\n";
}

std::string deploying_text(const RunReport& report) {
  std::string out = "deploying (a failure within the deploy's grace opens no incident and sends no reminder):\n";
  std::size_t width = 0;
  for (const auto& [id, pause] : report.deploying) {
    width = std::max(width, id.size());
  }
  const Redactor* secrets = report.config != nullptr ? &report.config->secrets : nullptr;
  for (const auto& [id, pause] : report.deploying) {
    const std::string by = secrets != nullptr ? secrets->apply(pause.by) : pause.by;
    out += fmt::format("  {:<{}}  {}, grace until {}\n", id, width, one_line(by, 200), format_human_time(pause.until));
  }
  return out;
}

}  // namespace pw
