#pragma once

#include <bot/config/config.hpp>
#include <bot/core/clock.hpp>
#include <bot/expect/expectations.hpp>
#include <bot/model/check_result.hpp>
#include <bot/probe/prober.hpp>

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

namespace pw {

struct ProbeOptions {
  int concurrency = 16;  // clamped to 1..k_max_concurrency
};

// The most checks probed at once, whatever the config asks for.
inline constexpr int k_max_concurrency = 256;

using ProbeProgress = std::function<void(const CheckResult&, std::size_t done, std::size_t total)>;

// Probes every check through a bounded pool, retrying failed attempts (retries extra
// attempts, retry_delay doubling each time, waits through `clock`), judging each attempt
// with judge(). A check is ok when an attempt had no transport failure and no failed
// expectation. Results are in config order. `on_done` (optional) is called (from any
// thread, serialized) as each check finishes, for a progress line.
std::vector<CheckResult> probe_all(const std::vector<Check>& checks, Prober& prober, Clock& clock,
                                   const ProbeOptions& options, const ProbeProgress& on_done = {});

}  // namespace pw
