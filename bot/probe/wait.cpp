#include <bot/probe/wait.hpp>

#include <algorithm>

namespace pw {

namespace {

std::string what_failed(const CheckResult& result) {
  if (result.evidence.failure != TransportFailure::none) {
    return result.evidence.error;
  }
  std::string text;
  for (const FailedExpectation& failed : result.failed) {
    text += text.empty() ? "" : "; ";
    text += failed.message;
  }
  return text;
}

}  // namespace

std::map<std::string, WaitSummary> wait_until_passing(const std::vector<Check>& checks,
                                                      std::vector<CheckResult>& results, Prober& prober, Clock& clock,
                                                      const ProbeOptions& options,
                                                      const std::optional<WaitFor>& default_wait) {
  struct Pending {
    std::size_t index;
    WaitFor wait;
  };
  std::map<std::string, WaitSummary> summaries;
  std::vector<Pending> pending;
  for (std::size_t i = 0; i < checks.size() && i < results.size(); ++i) {
    const std::optional<WaitFor> wait = checks[i].wait_for ? checks[i].wait_for : default_wait;
    if (wait) {
      summaries[checks[i].id] = {results[i].ok, Millis(0), 0, results[i].ok ? "" : what_failed(results[i])};
      if (!results[i].ok) {
        pending.push_back({i, *wait});
      }
    }
  }
  const TimePoint start = clock.now();
  while (!pending.empty()) {
    // Poll at the shortest interval, but never sleep past the nearest deadline.
    const Millis elapsed_before = std::chrono::duration_cast<Millis>(clock.now() - start);
    Millis pause = pending.front().wait.interval;
    for (const Pending& item : pending) {
      pause = std::min({pause, item.wait.interval, std::max(Millis(0), item.wait.timeout - elapsed_before)});
    }
    clock.sleep_for(std::max(pause, Millis(1)));
    std::vector<Check> polled;
    for (const Pending& item : pending) {
      Check check = checks[item.index];
      check.retries = 0;  // the next poll is the retry
      polled.push_back(std::move(check));
    }
    const std::vector<CheckResult> fresh = probe_all(polled, prober, clock, options);
    const Millis elapsed = std::chrono::duration_cast<Millis>(clock.now() - start);
    std::vector<Pending> still;
    for (std::size_t k = 0; k < pending.size(); ++k) {
      const Pending& item = pending[k];
      results[item.index] = fresh[k];
      WaitSummary& summary = summaries[checks[item.index].id];
      summary.polls += 1;
      summary.waited = elapsed;
      summary.passed = fresh[k].ok;
      summary.last = fresh[k].ok ? "" : what_failed(fresh[k]);
      if (!fresh[k].ok && elapsed < item.wait.timeout) {
        still.push_back(item);
      }
    }
    pending = std::move(still);
  }
  return summaries;
}

}  // namespace pw
