#include <bot/action/inputs.hpp>

#include <bot/config/shard.hpp>
#include <bot/core/duration.hpp>
#include <bot/core/text.hpp>

#include <fmt/format.h>

#include <algorithm>

namespace pw {

namespace {

std::string input(const Environment& env, const std::string& name) {
  const auto value = env.find("INPUT_" + name);
  return value == env.end() ? "" : std::string(trim(value->second));
}

Expected<bool> boolean_input(const Environment& env, const std::string& name, bool fallback) {
  const std::string value = to_lower(input(env, name));
  if (value.empty()) {
    return fallback;
  }
  if (value == "true") {
    return true;
  }
  if (value == "false") {
    return false;
  }
  return fail(fmt::format("input {} must be true or false, not \"{}\"", to_lower(name), value.substr(0, 40)));
}

// The vantage inputs: `vantage` makes the step a vantage job (probe and write the report only),
// `reports` (with `quorum`, `max-report-age`) makes it the fan-in job.
Expected<void> read_vantage_inputs(const Environment& env, ActionInputs& inputs) {
  inputs.vantage = input(env, "VANTAGE");
  inputs.reports = input(env, "REPORTS");
  inputs.max_report_age = input(env, "MAX-REPORT-AGE");
  const std::string quorum = input(env, "QUORUM");
  if (!inputs.vantage.empty() && !inputs.reports.empty()) {
    return fail(
        "inputs vantage and reports do not go together: a vantage job writes its report, the fan-in job "
        "reads them all");
  }
  if ((!inputs.vantage.empty() || !inputs.reports.empty()) && !inputs.watch.empty()) {
    return fail(fmt::format("inputs {} and watch do not go together: vantage reports are one run each",
                            inputs.vantage.empty() ? "reports" : "vantage"));
  }
  if (inputs.reports.empty() && (!quorum.empty() || !inputs.max_report_age.empty())) {
    return fail(fmt::format("input {} is for the fan-in job: set reports to the folder of vantage reports",
                            quorum.empty() ? "max-report-age" : "quorum"));
  }
  if (!quorum.empty()) {
    const bool digits =
        quorum.size() <= 3 && std::all_of(quorum.begin(), quorum.end(), [](char c) { return c >= '0' && c <= '9'; });
    inputs.quorum = digits ? std::stoi(quorum) : 0;
    if (inputs.quorum < 1) {
      return fail(fmt::format("input quorum must be a whole number from 1, not \"{}\"", quorum.substr(0, 40)));
    }
  }
  if (!inputs.max_report_age.empty()) {
    if (auto parsed = parse_duration(inputs.max_report_age); !parsed) {
      return fail(fmt::format("input max-report-age: {}", parsed.error().message));
    }
  }
  return {};
}

}  // namespace

Expected<ActionInputs> read_action_inputs(const Environment& env) {
  ActionInputs inputs;
  if (std::string value = input(env, "CONFIG"); !value.empty()) {
    inputs.config = value;
  }
  inputs.token = input(env, "TOKEN");
  inputs.repository = input(env, "REPOSITORY");
  auto dry_run = boolean_input(env, "DRY-RUN", false);
  if (!dry_run) {
    return std::unexpected(dry_run.error());
  }
  inputs.dry_run = *dry_run;
  if (std::string value = to_lower(input(env, "FAIL-ON")); !value.empty()) {
    if (value != "never" && value != "new" && value != "any") {
      return fail(fmt::format("input fail-on must be never, new or any, not \"{}\"", value.substr(0, 40)));
    }
    inputs.fail_on = value;
  }
  if (std::string value = input(env, "REPORT-PATH"); !value.empty()) {
    inputs.report_path = value;
  }
  inputs.api_url = input(env, "API-URL");
  auto keep = boolean_input(env, "KEEP-ORPHANS", false);
  if (!keep) {
    return std::unexpected(keep.error());
  }
  inputs.keep_orphans = *keep;
  inputs.shard = input(env, "SHARD");
  if (!inputs.shard.empty()) {
    if (auto shard = parse_shard(inputs.shard); !shard) {
      return fail(fmt::format("input shard: {}", shard.error().message.substr(shard.error().message.find(' ') + 1)));
    }
  }
  inputs.wait = input(env, "WAIT");
  if (!inputs.wait.empty()) {
    if (auto wait = parse_duration(inputs.wait); !wait) {
      return fail(fmt::format("input wait: {}", wait.error().message));
    }
  }
  inputs.watch = input(env, "WATCH");
  if (!inputs.watch.empty()) {
    if (auto watch = parse_duration(inputs.watch); !watch) {
      return fail(fmt::format("input watch: {}", watch.error().message));
    }
    if (!inputs.wait.empty()) {
      return fail("inputs watch and wait do not go together: watch probes every interval anyway");
    }
  }
  if (const std::string interval = input(env, "INTERVAL"); !interval.empty()) {
    if (auto parsed = parse_duration(interval); !parsed) {
      return fail(fmt::format("input interval: {}", parsed.error().message));
    }
    inputs.interval = interval;
  }
  if (auto vantages = read_vantage_inputs(env, inputs); !vantages) {
    return std::unexpected(vantages.error());
  }

  inputs.tracker = input(env, "TRACKER");
  inputs.status_page = input(env, "STATUS-PAGE");
  if (!inputs.tracker.empty() && inputs.tracker != "github" && inputs.tracker != "local" &&
      !inputs.tracker.starts_with("local:")) {
    return fail(fmt::format("input tracker must be github or local:PATH, not \"{}\"", inputs.tracker.substr(0, 60)));
  }
  return inputs;
}

}  // namespace pw
