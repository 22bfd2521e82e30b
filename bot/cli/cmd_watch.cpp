// probewatch watch: `run`'s cycle every interval inside one process. The trackers remember the open
// list between cycles (CachedTracker), so a cycle where nothing changed sends no request; SIGTERM
// and SIGINT let the write in flight finish and exit within 5 s.
#include <bot/cli/commands.hpp>
#include <bot/cli/run_outcome.hpp>
#include <bot/cli/watch_signals.hpp>
#include <bot/core/duration.hpp>
#include <bot/tracker/cached_tracker.hpp>

#include <fmt/format.h>

#include <set>

namespace pw {

namespace {

// Parses --interval or --duration; prints why and returns nullopt when it is not a duration of at
// least `least`.
std::optional<Millis> duration_option(const char* name, const std::string& text, Millis least, AppContext& context) {
  auto parsed = parse_duration(text);
  if (!parsed) {
    context.err << fmt::format("probewatch: {}: {}\n", name, parsed.error().message);
    return std::nullopt;
  }
  if (*parsed < least) {
    context.err << fmt::format("probewatch: {} must be at least {}, not {}\n", name, format_duration(least), text);
    return std::nullopt;
  }
  return *parsed;
}

std::set<std::string> failing_ids(const RunReport& report) {
  std::set<std::string> ids;
  for (const CheckResult& result : report.results) {
    if (!result.ok) {
      ids.insert(result.id);
    }
  }
  return ids;
}

}  // namespace

RunOutcome execute_watch(const Options& options, AppContext& context, std::optional<Config> loaded) {
  RunOutcome outcome;
  const auto interval = duration_option("--interval", options.interval, k_watch_min_interval, context);
  const auto duration = interval ? duration_option("--duration", options.duration, *interval, context) : std::nullopt;
  if (!interval || !duration) {
    return outcome;
  }
  if (!options.wait.empty()) {
    context.err << "probewatch: watch takes no --wait: it probes every --interval anyway; use run --wait after a "
                   "deploy\n";
    return outcome;
  }
  WatchSignals signals(context.watch_signals, context.out, context.err);
  auto setup = prepare_run(options, context, std::move(loaded));
  if (!setup) {
    return outcome;
  }
  for (auto& [repo, tracker] : setup->trackers->by_repo) {
    tracker = std::make_unique<CachedTracker>(std::move(tracker), context.clock, k_watch_relist);
  }
  context.out << fmt::format(
      "probewatch: watching {} check(s) every {} for {}; issues are listed again every {} to notice people's "
      "edits\n",
      setup->checks.size(), format_duration(*interval), format_duration(*duration), format_duration(k_watch_relist));

  const TimePoint start = context.clock.now();
  const TimePoint end = start + *duration;
  std::optional<std::set<std::string>> failing_before;
  std::vector<AppliedAction> actions;  // every cycle's
  std::size_t requests = 0;
  int cycles = 0;
  for (TimePoint next = start; next < end && !signals.stopping(); next += *interval) {
    if (const TimePoint now = context.clock.now(); now < next) {
      context.clock.sleep_for(std::chrono::duration_cast<Millis>(next - now));
    } else {
      // A cycle that ran longer than the interval: the missed slots are skipped, not caught up.
      while (next + *interval <= now) {
        next += *interval;
      }
    }
    if (signals.stopping() || context.clock.now() >= end) {
      break;
    }
    CycleControl control;
    control.begin_writes = [&] { return signals.begin_writes(); };
    control.stopping = [&] { return signals.stopping(); };
    control.quiet = [&](const RunReport& report) {
      return failing_before == failing_ids(report) && report.actions.empty() && report.errors.empty() &&
             report.warnings.empty();
    };
    signals.begin_cycle();
    RunReport report;
    const std::optional<int> code = run_cycle(*setup, options, context, report, control);
    ++cycles;
    if (code) {
      failing_before = failing_ids(report);
      actions.insert(actions.end(), report.actions.begin(), report.actions.end());
      requests += report.api_requests.value_or(0);
      outcome.report = std::move(report);
    }
    signals.end_cycle(code);
    if (!code && !signals.stopping()) {
      return outcome;
    }
  }
  context.out << fmt::format("probewatch: watch ended after {} cycle(s)\n", cycles);
  outcome.report.actions = std::move(actions);
  outcome.report.api_requests = requests;
  outcome.ran = true;
  outcome.exit_code = signals.exit_code();
  outcome.config = std::move(setup->config);
  outcome.report.config = outcome.config.get();
  return outcome;
}

int command_watch(const Options& options, AppContext& context) { return execute_watch(options, context).exit_code; }

}  // namespace pw
