#include <bot/cli/commands.hpp>
#include <bot/cli/run_outcome.hpp>
#include <bot/config/load.hpp>
#include <bot/probe/wait.hpp>
#include <bot/report/console.hpp>
#include <bot/report/report.hpp>

#include <fmt/format.h>

namespace pw {

std::vector<CheckResult> probe_with_progress(const Config& config, const std::vector<Check>& checks,
                                             const Options& options, AppContext& context) {
  ProgressLine progress(context.err, context.err_is_terminal && !options.no_progress);
  auto results = probe_all(
      checks, context.prober, context.clock, {config.concurrency},
      [&](const CheckResult& result, std::size_t done, std::size_t total) { progress.update(done, total, result.ok); });
  progress.finish();
  return results;
}

bool write_report(const Options& options, const RunReport& report, AppContext& context) {
  if (options.report.empty()) {
    return true;
  }
  if (auto written = context.files.write(options.report, report_json(report)); !written) {
    context.err << fmt::format("probewatch: {}\n", written.error().message);
    return false;
  }
  return true;
}

bool probe_and_wait(const Config& config, const std::vector<Check>& checks, const Options& options, AppContext& context,
                    RunReport& report) {
  std::optional<WaitFor> default_wait;
  if (!options.wait.empty()) {
    auto timeout = parse_duration(options.wait);
    if (!timeout) {
      context.err << fmt::format("probewatch: --wait: {}\n", timeout.error().message);
      return false;
    }
    default_wait = WaitFor{*timeout, std::min(WaitFor{}.interval, std::max(*timeout / 10, Millis(1000)))};
  }
  report.results = probe_with_progress(config, checks, options, context);
  report.waits =
      wait_until_passing(checks, report.results, context.prober, context.clock, {config.concurrency}, default_wait);
  return true;
}

namespace {

// Returns the vantage `check --vantage NAME` reports as, with the network the config declares for
// it; prints why and returns nullopt for a bad name, an undeclared one or a missing --report.
std::optional<VantageDeclaration> vantage_of(const Config& config, const Options& options, AppContext& context) {
  if (!is_vantage_name(options.vantage)) {
    context.err << "probewatch: --vantage: a name of 1 to 64 letters, digits, '-', '_' or '.', as in gh-eu or "
                   "office\n";
    return std::nullopt;
  }
  if (options.report.empty()) {
    context.err << "probewatch: --vantage needs --report FILE: the report is what run --reports combines\n";
    return std::nullopt;
  }
  if (config.vantages.empty()) {
    return VantageDeclaration{options.vantage, VantageNetwork::unspecified};
  }
  std::string declared;
  for (const VantageDeclaration& vantage : config.vantages) {
    if (vantage.name == options.vantage) {
      return vantage;
    }
    declared += declared.empty() ? "" : ", ";
    declared += vantage.name;
  }
  context.err << fmt::format(
      "probewatch: --vantage {}: not among the config's vantages ({}); add it under "
      "vantages: or fix the name\n",
      options.vantage, declared);
  return std::nullopt;
}

}  // namespace

RunOutcome execute_check(const Options& options, AppContext& context, std::optional<Config> loaded) {
  RunOutcome outcome;
  if (!loaded) {
    loaded = load_config_for(options, context);
    if (!loaded) {
      return outcome;
    }
  }
  outcome.config = std::make_unique<Config>(std::move(*loaded));
  const Config& config = *outcome.config;
  RunReport& report = outcome.report;
  report.config = &config;
  report.generated_at = context.clock.now();
  if (!options.vantage.empty()) {
    report.vantage = vantage_of(config, options, context);
    if (!report.vantage) {
      return outcome;
    }
  }
  if (!probe_and_wait(config, config.checks, options, context, report)) {
    return outcome;
  }
  std::map<std::string, CheckResult> by_id;
  for (const CheckResult& result : report.results) {
    by_id.emplace(result.id, result);
  }
  const ChecksByHost hosts = group_by_host(config.checks, by_id);
  for (const CheckResult& result : report.results) {
    if (!result.ok) {
      auto hints = hints_for(report.check(result.id), result, nullptr, hosts);
      if (!hints.empty()) {
        report.hints.emplace(result.id, std::move(hints));
      }
    }
  }
  context.out << results_table(report);
  if (!write_report(options, report, context)) {
    return outcome;
  }
  outcome.ran = true;
  // With --vantage the fan-in run decides; a failing vantage job would only hide its report from it.
  outcome.exit_code = report.vantage || report.failing() == 0 ? k_exit_ok : k_exit_failing;
  return outcome;
}

int command_check(const Options& options, AppContext& context) { return execute_check(options, context).exit_code; }

}  // namespace pw
