#include <bot/action/annotations.hpp>

#include <bot/action/workflow_commands.hpp>
#include <bot/core/timestamp.hpp>
#include <bot/report/verdict.hpp>

#include <fmt/format.h>

namespace pw {

namespace {

std::string counted(std::size_t count, const char* one, const char* many) {
  return fmt::format("{} {}", count, count == 1 ? one : many);
}

}  // namespace

std::string annotation_commands(const RunReport& report) {
  const Redactor& secrets = report.config->secrets;
  std::string out;
  std::size_t errors = 0;
  std::size_t errors_left = 0;
  for (const CheckResult& result : report.results) {
    if (result.ok) {
      continue;
    }
    if (errors == k_max_annotations) {
      ++errors_left;
      continue;
    }
    std::string message = reason_of(result);
    if (const auto deploying = report.deploying.find(result.id); deploying != report.deploying.end()) {
      message = fmt::format("deploying, no incident until the grace ends at {}: {}",
                            format_human_time(deploying->second.until), message);
    }
    out += error_command(secrets.apply(report.name_of(result.id)), secrets.apply(message));
    ++errors;
  }
  std::size_t notices = 0;
  std::size_t notices_left = 0;
  for (const AppliedAction& action : report.actions) {
    if (action.kind != ActionKind::create && action.kind != ActionKind::close && action.kind != ActionKind::reopen) {
      continue;
    }
    if (notices == k_max_annotations) {
      ++notices_left;
      continue;
    }
    const char* verb = action.kind == ActionKind::create  ? "Incident opened"
                       : action.kind == ActionKind::close ? "Incident closed"
                                                          : "Incident reopened";
    out += notice_command(
        verb, secrets.apply(fmt::format("#{} {} {}", action.issue, report.name_of(action.check), action.url)));
    ++notices;
  }
  if (errors_left > 0 || notices_left > 0) {
    std::string left;
    if (errors_left > 0) {
      left = counted(errors_left, "more failing check", "more failing checks");
    }
    if (notices_left > 0) {
      left += left.empty() ? "" : " and ";
      left += counted(notices_left, "more incident change", "more incident changes");
    }
    out += fmt::format(
        "::warning title=probewatch::{} not annotated (GitHub shows {} per step); the job summary "
        "lists every check and change\n",
        escape_command_data(left), k_max_annotations);
  }
  return out;
}

}  // namespace pw
