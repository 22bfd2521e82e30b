#include "probe_once.hpp"

#include <bot/probe/httplib_prober.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <vector>

namespace pw::test {

namespace {

std::optional<std::chrono::milliseconds> g_worst_overrun;

HttplibProber& shared_prober() {
  static HttplibProber instance;
  return instance;
}

}  // namespace

Check probe_check(std::string url, std::chrono::milliseconds timeout) {
  Check check;
  check.id = "probe";
  check.name = "probe";
  check.url = std::move(url);
  check.timeout = timeout;
  check.retries = 0;
  return check;
}

CheckResult probe_once(const Check& check) {
  SystemClock clock;
  const auto start = std::chrono::steady_clock::now();
  std::vector<CheckResult> results = probe_all({check}, shared_prober(), clock, {});
  const auto wall = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
  // A real-time assertion on purpose: no check may run past its deadline by more than the
  // bound, whatever the server does.
  CHECK_MESSAGE(wall <= check.timeout + k_overrun_allowed, "took " << wall.count() << " ms");
  g_worst_overrun = std::max(g_worst_overrun.value_or(wall - check.timeout), wall - check.timeout);
  REQUIRE(results.size() == 1);
  return results.front();
}

std::optional<std::chrono::milliseconds> worst_overrun() { return g_worst_overrun; }

}  // namespace pw::test
