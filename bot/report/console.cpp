#include <bot/report/console.hpp>

#include <bot/core/text.hpp>
#include <bot/core/timestamp.hpp>
#include <bot/report/verdict.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <array>

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

}  // namespace

std::string results_table(const RunReport& report) {
  const Redactor& secrets = report.config->secrets;
  std::vector<std::array<std::string, 5>> rows;
  rows.push_back({"VERDICT", "CHECK", "STATUS", "TIME", "REASON"});
  for (const CheckResult& result : report.results) {
    const std::string reason = !result.ok        ? one_line(secrets.apply(reason_of(result)), 100)
                               : result.degraded ? result.degraded_reason
                                                 : "";
    rows.push_back({!result.ok        ? "FAIL"
                    : result.degraded ? "degraded"
                                      : "ok",
                    result.id, result.evidence.status ? std::to_string(*result.evidence.status) : "-",
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
  out += fmt::format("{} checks, {} failing{}\n", report.results.size(), report.failing(),
                     degraded > 0 ? fmt::format(", {} degraded", degraded) : "");
  for (const auto& [id, wait] : report.waits) {
    if (wait.polls == 0 && wait.passed) {
      continue;  // passed at once: nothing was waited for
    }
    out += secrets.apply(one_line(wait.passed ? fmt::format("{}: the rollout took {} ({} polls)", id,
                                                            format_duration(wait.waited), wait.polls)
                                              : fmt::format("{}: still failing after waiting {} ({} polls): {}", id,
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
      out += secrets.apply(one_line(fmt::format("likely cause for {}: {}{}", result.id, hint.title,
                                                hint.evidence.empty() ? "" : " (" + hint.evidence + ")"),
                                    300)) +
             "\n";
    }
  }
  return out;
}

std::string actions_text(const RunReport& report) {
  const Redactor& secrets = report.config->secrets;
  const std::string prefix = report.dry_run ? "would " : "";
  std::string out;
  for (const AppliedAction& action : report.actions) {
    const std::string issue = action.issue != 0 ? fmt::format("#{}", action.issue) : "a new issue";
    std::string line;
    switch (action.kind) {
      case ActionKind::create:
        line = fmt::format("{}{} {} for {}: {}", prefix, report.dry_run ? "open" : "opened", issue, action.check,
                           action.title);
        break;
      case ActionKind::update:
        line = fmt::format("{}{} {} ({}): {}", prefix, report.dry_run ? "update" : "updated", issue, action.check,
                           action.detail);
        break;
      case ActionKind::comment:
        line = fmt::format("{}{} on {} ({}): {}", prefix, report.dry_run ? "comment" : "commented", issue, action.check,
                           action.detail);
        break;
      case ActionKind::close:
        line = fmt::format("{}{} {} ({}): {}", prefix, report.dry_run ? "close" : "closed", issue, action.check,
                           action.detail);
        break;
      case ActionKind::reopen:
        line = fmt::format("{}{} {} ({}): {}", prefix, report.dry_run ? "reopen" : "reopened", issue, action.check,
                           action.detail);
        break;
      case ActionKind::close_duplicate:
        line = fmt::format("{}{} {} ({}): {}", prefix, report.dry_run ? "close" : "closed", issue,
                           action.check.empty() ? "dashboard" : action.check, action.detail);
        break;
    }
    if (!action.url.empty() && !report.dry_run) {
      line += fmt::format(" {}", action.url);
    }
    out += secrets.apply(line) + "\n";
  }
  return out;
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

}  // namespace pw
