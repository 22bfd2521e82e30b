#pragma once

#include <bot/config/config.hpp>
#include <bot/probe/probe_all.hpp>

#include <chrono>
#include <optional>
#include <string>

namespace pw::test {

// How far past its deadline a probe may end: the bound, whatever the server does.
inline constexpr std::chrono::milliseconds k_overrun_allowed{1000};

// A check of `url` with no retries and `timeout` as its deadline (10 s: a server that answers
// meets it even on a loaded machine).
Check probe_check(std::string url, std::chrono::milliseconds timeout = std::chrono::seconds(10));

// Probes `check` alone through probe_all with one HttplibProber shared by the whole binary and
// the real clock, and asserts in real time that it ended at most k_overrun_allowed past its
// deadline.
CheckResult probe_once(const Check& check);

// The most a probe_once call has run past its check's deadline so far (negative when every
// call ended before it); none before the first call.
std::optional<std::chrono::milliseconds> worst_overrun();

}  // namespace pw::test
