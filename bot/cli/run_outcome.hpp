#pragma once

#include <bot/cli/app.hpp>
#include <bot/cli/options.hpp>
#include <bot/cli/tracker_setup.hpp>
#include <bot/config/shard.hpp>
#include <bot/render/templates.hpp>
#include <bot/config/config.hpp>
#include <bot/model/deploy.hpp>
#include <bot/diagnose/hint.hpp>
#include <bot/reconcile/marker.hpp>
#include <bot/report/report.hpp>

#include <functional>
#include <memory>
#include <optional>

namespace pw {

// What `run` did, for the action edge to turn into outputs, a summary and annotations.
struct RunOutcome {
  int exit_code = k_exit_usage;
  std::unique_ptr<Config> config;  // kept alive for the report
  RunReport report;
  bool ran = false;  // false when it stopped at a usage or config error
};

// What stays the same from one cycle of `run` to the next (`watch` runs many): the config, its
// templates, the shard, the checks it selects and the trackers.
struct RunSetup {
  std::unique_ptr<Config> config;
  std::optional<TemplateSet> templates;
  Shard shard;
  std::vector<Check> checks;  // the shard's
  std::optional<Trackers> trackers;
  std::optional<Deployment> deployment;  // on a deployment_status run: the checks with version: must serve it
  // RDAP answers by domain, with when they were read: `watch` asks again only after
  // k_rdap_refresh, since registrations change rarely and RDAP servers limit callers.
  std::map<std::string, std::pair<TimePoint, Evidence>> rdap_answers;
};

inline constexpr Millis k_rdap_refresh{Millis(6LL * 3600 * 1000)};

// How a long-running caller follows and stops a cycle; every hook may be empty.
struct CycleControl {
  // Called once the probes are done, before the first tracker request; false skips the writes.
  std::function<bool()> begin_writes;
  // True once the cycle should stop after the step in flight (a signal arrived).
  std::function<bool()> stopping;
  // True when the cycle's results need not be printed (nothing changed since the last).
  std::function<bool(const RunReport&)> quiet;
};

// Loads the config (unless given), templates, shard and trackers; prints why and returns nullopt on
// a usage or config error.
std::optional<RunSetup> prepare_run(const Options& options, AppContext& context, std::optional<Config> config);

// Runs one cycle of `run` on `setup`: probes, syncs incidents, prints and writes the report.
// Returns the exit code, or nullopt when it stopped before filing (a bad --wait, or begin_writes
// said no). report.api_requests counts this cycle's requests only.
std::optional<int> run_cycle(RunSetup& setup, const Options& options, AppContext& context, RunReport& report,
                             const CycleControl& control);

// Runs `run`: probes, syncs incidents, prints and writes the report. `config` may be given
// already loaded (the action loads it first to mask its secrets).
RunOutcome execute_run(const Options& options, AppContext& context, std::optional<Config> config = std::nullopt);

// Runs `check`: probes, prints and writes the report (a vantage's with options.vantage). `config`
// may be given already loaded.
RunOutcome execute_check(const Options& options, AppContext& context, std::optional<Config> config = std::nullopt);

// Runs `watch`: run's cycle every options.interval for options.duration, with the trackers'
// open lists kept between cycles. The report is the last cycle's, with every cycle's actions and
// requests; the exit code is the last cycle's. Stops on SIGTERM/SIGINT when context.watch_signals.
RunOutcome execute_watch(const Options& options, AppContext& context, std::optional<Config> config = std::nullopt);

// Probes with a live progress line on a terminal; shared by check, run and triage.
std::vector<CheckResult> probe_with_progress(const Config& config, const std::vector<Check>& checks,
                                             const Options& options, AppContext& context);

// Probes the checks, then waits for failing ones that wait (their wait_for, or --wait) to pass.
// Fills report.results and report.waits; prints why and returns false on a bad --wait.
bool probe_and_wait(const Config& config, const std::vector<Check>& checks, const Options& options, AppContext& context,
                    RunReport& report);

// False (with the reason printed) when vantage options are given without --reports, or --reports
// with options that probe.
bool vantage_options_valid(const Options& options, AppContext& context);

// The fan-in run: reads the vantage reports in options.reports and combines them into one result
// per check by quorum (report.results, report.vantage_notes). Prints why and returns false on a
// bad folder, a malformed report or an impossible quorum.
bool read_vantage_results(const Config& config, const std::vector<Check>& checks, const Options& options,
                          AppContext& context, RunReport& report);

// The checks of a run grouped by host, with their results, for diagnosis.
using ChecksByHost = std::map<std::string, std::vector<std::pair<const Check*, const CheckResult*>>>;
ChecksByHost group_by_host(const std::vector<Check>& checks, const std::map<std::string, CheckResult>& results);

// Returns the likely causes of a failing check, comparing with its healthy fingerprint (when the
// dashboard remembers one) and with the other checks on its host.
std::vector<Hint> hints_for(const Check& check, const CheckResult& result, const HealthyFingerprint* healthy,
                            const ChecksByHost& hosts);

// Writes the report file when one was asked for; returns false after saying why on failure.
bool write_report(const Options& options, const RunReport& report, AppContext& context);

}  // namespace pw
