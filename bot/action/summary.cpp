#include <bot/report/quorum.hpp>
#include <bot/action/summary.hpp>

#include <bot/render/markdown.hpp>
#include <bot/report/console.hpp>
#include <bot/report/verdict.hpp>

#include <bot/core/timestamp.hpp>

#include <fmt/format.h>

#include <algorithm>

namespace pw {

namespace {

constexpr std::size_t k_chart_checks = 40;

std::string chart_label(std::string_view id) {
  std::string out;
  for (const char c : id) {
    out += c == '"' ? '\'' : c;
  }
  return "\"" + out + "\"";
}

// Fan-in runs: the vantages that disagree or are unknown, so a vantage failing alone is seen
// though it files nothing.
std::string vantage_summary(const RunReport& report) {
  const Redactor& secrets = report.config->secrets;
  std::string lines;
  for (const CheckResult& result : report.results) {
    const std::string seen = vantages_not_passing(result);
    if (seen.empty()) {
      continue;
    }
    const QuorumVerdict& verdict = *result.vantages;
    lines += fmt::format("- **{}**: {} of {} vantages failing, {} unknown (quorum {}{}): {}\n",
                         escape_markdown(secrets.redact(report.name_of(result.id))), verdict.failing,
                         verdict.rows.size(), verdict.unknown, verdict.quorum,
                         verdict.decided ? "" : "; no verdict, nothing changed", escape_markdown(secrets.redact(seen)));
  }
  for (const std::string& note : report.vantage_notes) {
    lines += fmt::format("- {}\n", escape_markdown(secrets.redact(note)));
  }
  return lines.empty() ? "" : fmt::format("### Vantage points\n\n{}\n", lines);
}

}  // namespace

std::string response_time_chart(const RunReport& report) {
  std::vector<const CheckResult*> shown;
  for (const CheckResult& result : report.results) {
    if (result.evidence.status) {
      shown.push_back(&result);
    }
  }
  if (shown.empty()) {
    return "";
  }
  std::stable_sort(shown.begin(), shown.end(), [](const CheckResult* a, const CheckResult* b) {
    return a->evidence.response_time > b->evidence.response_time;
  });
  const bool cut = shown.size() > k_chart_checks;
  shown.resize(std::min(shown.size(), k_chart_checks));
  std::string labels;
  std::string values;
  long long top = 1;
  for (const CheckResult* result : shown) {
    labels += labels.empty() ? "" : ", ";
    labels += chart_label(result->id);
    values += values.empty() ? "" : ", ";
    values += std::to_string(result->evidence.response_time.count());
    top = std::max<long long>(top, result->evidence.response_time.count());
  }
  std::string chart = fmt::format(
      "```mermaid\nxychart-beta\n  title \"Response time (ms){}\"\n  x-axis [{}]\n  y-axis \"ms\" 0 --> {}\n  bar [{}]\n```\n",
      cut ? fmt::format(", slowest {}", k_chart_checks) : "", labels, top + top / 10 + 1, values);
  return chart;
}

std::string job_summary(const RunReport& report) {
  const Redactor& secrets = report.config->secrets;
  const std::size_t degraded = report.degraded();
  std::string out =
      fmt::format("## probewatch: {} of {} checks failing{}{}\n\n", report.failing(), report.results.size(),
                  degraded > 0 ? fmt::format(", {} degraded", degraded) : "", report.dry_run ? " (dry run)" : "");
  std::string table = "| | Check | Status | Time | Incident | Reason |\n|---|---|---|---|---|---|\n";
  std::size_t rows = 0;
  std::vector<const CheckResult*> ordered;
  for (const CheckResult& result : report.results) {
    ordered.push_back(&result);
  }
  std::stable_sort(ordered.begin(), ordered.end(),
                   [](const CheckResult* a, const CheckResult* b) { return !a->ok && b->ok; });
  for (const CheckResult* result : ordered) {
    const Check& check = report.check(result->id);
    const auto incident = report.incident_urls.find(result->id);
    std::string link =
        incident == report.incident_urls.end()
            ? ""
            : fmt::format("[#{}]({})", incident->second.substr(incident->second.rfind('/') + 1), incident->second);
    if (incident != report.incident_urls.end() && incident->second.find('/') == std::string::npos) {
      link = escape_markdown(secrets.redact(incident->second));
    }
    std::string row = fmt::format("| {} | {} | {} | {} | {} | {} |\n",
                                  !result->ok        ? (report.deploying.count(result->id) != 0 ? "🚀" : "❌")
                                  : result->degraded ? "⚠️"
                                                     : "✅",
                                  escape_markdown(secrets.redact(check.name)),
                                  result->evidence.status ? std::to_string(*result->evidence.status) : "–",
                                  format_duration(result->evidence.response_time), link,
                                  !result->ok        ? inline_code(secrets.redact(reason_of(*result)))
                                  : result->degraded ? inline_code(secrets.redact(result->degraded_reason))
                                                     : "");
    if (out.size() + table.size() + row.size() > k_max_summary_bytes / 2) {
      table += fmt::format("\n… {} more checks not listed (the summary is limited to 1 MiB)\n",
                           report.results.size() - rows);
      break;
    }
    table += row;
    ++rows;
  }
  out += table + "\n";
  out += vantage_summary(report);
  if (report.gap) {
    // Honest scheduling: this run came late, and the time before it is unknown, not up.
    out += fmt::format(
        "> [!WARNING]\n> **Monitoring gap:** this run came late; nothing was probed for {} (from {} to {}). "
        "That time counts as unknown, never as up.\n\n",
        format_duration(std::chrono::duration_cast<Millis>(report.gap->length())), format_human_time(report.gap->start),
        format_human_time(report.gap->end));
  }
  out += response_time_chart(report);

  std::string causes;
  for (const CheckResult& result : report.results) {
    const auto hints = report.hints.find(result.id);
    if (hints == report.hints.end()) {
      continue;
    }
    for (const Hint& hint : hints->second) {
      causes += fmt::format("- **{}**: {}. {}{}\n", escape_markdown(secrets.redact(report.check(result.id).name)),
                            hint.title, escape_markdown(secrets.redact(hint.detail)),
                            hint.evidence.empty() ? "" : " Evidence: " + inline_code(secrets.redact(hint.evidence)));
    }
  }
  if (!causes.empty() && out.size() + causes.size() < k_max_summary_bytes * 3 / 4) {
    out += "\n### Likely causes\n\n" + causes;
  }
  if (!report.actions.empty()) {
    out += "\n### Issue changes\n\n";
    for (const AppliedAction& action : report.actions) {
      const ChangeLine change = describe_change(report, action);
      std::string line =
          fmt::format("- {} {} {}", change.verb,
                      change.url.find("://") == std::string::npos ? change.issue
                                                                  : fmt::format("[{}]({})", change.issue, change.url),
                      escape_markdown(secrets.redact(change.title)));
      if (!change.why.empty()) {
        line += ": " + escape_markdown(secrets.redact(change.why));
      }
      if (out.size() + line.size() > k_max_summary_bytes - 1000) {
        out += "- …\n";
        break;
      }
      out += secrets.apply(line) + "\n";
    }
  }
  for (const std::string& error : report.errors) {
    if (out.size() + error.size() > k_max_summary_bytes - 200) {
      break;
    }
    out += fmt::format("\n> [!CAUTION]\n> {}\n", escape_markdown(secrets.redact(error)));
  }
  return secrets.apply(out);
}

}  // namespace pw
