#include <bot/probe/probe_all.hpp>

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <system_error>
#include <thread>

namespace pw {

namespace {

// Backoff never waits longer than this between two attempts, however many retries.
constexpr Millis k_max_retry_delay{Millis(60LL * 60 * 1000)};

Evidence attempt_once(const Check& check, Prober& prober) {
  try {
    return prober.attempt(check);
  } catch (const std::exception& error) {
    Evidence evidence;
    evidence.url = check.url;
    evidence.failure = TransportFailure::other;
    evidence.error = std::string("internal error while probing: ") + error.what();
    return evidence;
  }
}

// One line for what an attempt saw: its transport failure, else its first failed expectation.
std::string outcome_of(const CheckResult& result) {
  if (result.evidence.failure != TransportFailure::none) {
    return result.evidence.error.empty() ? std::string(to_string(result.evidence.failure)) : result.evidence.error;
  }
  if (!result.failed.empty()) {
    return result.failed.front().message;
  }
  return "passed";
}

CheckResult run_check(const Check& check, Prober& prober, Clock& clock) {
  CheckResult result;
  result.id = check.id;
  const int total_attempts = 1 + std::max(0, check.retries);
  Millis delay = check.retry_delay;
  for (int attempt = 1; attempt <= total_attempts; ++attempt) {
    result.attempts = attempt;
    const TimePoint started = clock.now();
    result.evidence = attempt_once(check, prober);
    result.failed = judge(check.expect, result.evidence, clock.now());
    result.ok = result.evidence.failure == TransportFailure::none && result.failed.empty();
    result.tries.push_back({started, result.ok, outcome_of(result)});
    if (result.ok || attempt == total_attempts) {
      break;
    }
    clock.sleep_for(delay);
    delay = std::min(delay * 2, k_max_retry_delay);
  }
  if (result.ok) {
    if (auto reason = degraded_reason(check.expect, result.evidence)) {
      result.degraded = true;
      result.degraded_reason = std::move(*reason);
    }
  }
  if (check.version) {
    result.served_version = served_version(*check.version, result.evidence).value_or("");
  }
  if (result.evidence.body.size() > k_kept_body_bytes) {
    result.evidence.body = result.evidence.body.substr(0, k_kept_body_bytes);
    result.evidence.body_truncated = true;
  }
  return result;
}

}  // namespace

std::vector<CheckResult> probe_all(const std::vector<Check>& checks, Prober& prober, Clock& clock,
                                   const ProbeOptions& options, const ProbeProgress& on_done) {
  std::vector<CheckResult> results(checks.size());
  std::atomic<std::size_t> next{0};
  std::mutex progress_mutex;
  std::size_t done = 0;
  const auto work = [&] {
    for (std::size_t i = next++; i < checks.size(); i = next++) {
      results[i] = run_check(checks[i], prober, clock);
      const std::lock_guard lock(progress_mutex);
      ++done;
      if (on_done) {
        on_done(results[i], done, checks.size());
      }
    }
  };
  const std::size_t wanted = std::min<std::size_t>(
      checks.size(), static_cast<std::size_t>(std::clamp(options.concurrency, 1, k_max_concurrency)));
  std::vector<std::thread> workers;
  workers.reserve(wanted);
  for (std::size_t i = 1; i < wanted; ++i) {
    try {
      workers.emplace_back(work);
    } catch (const std::system_error&) {
      break;  // fewer threads still finish every check
    }
  }
  work();  // the calling thread is one of the pool
  for (std::thread& worker : workers) {
    worker.join();
  }
  return results;
}

}  // namespace pw
