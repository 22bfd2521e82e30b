#include <bot/probe/probe_all.hpp>

#include <support/fake_clock.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <string>

using namespace std::chrono_literals;

namespace {

pw::Evidence answered(int status, std::string body = "ok") {
  pw::Evidence evidence;
  evidence.status = status;
  evidence.body = std::move(body);
  return evidence;
}

pw::Evidence refused() {
  pw::Evidence evidence;
  evidence.failure = pw::TransportFailure::refused;
  evidence.failure_phase = pw::Phase::connect;
  evidence.error = "connection refused by 127.0.0.1:9 (nothing is listening)";
  return evidence;
}

// Answers from a per-check script (the last entry repeats) and counts calls.
class ScriptedProber final : public pw::Prober {
 public:
  std::map<std::string, std::deque<pw::Evidence>> script;

  pw::Evidence attempt(const pw::Check& check) override {
    const std::lock_guard lock(m_mutex);
    ++calls[check.id];
    std::deque<pw::Evidence>& queue = script.at(check.id);
    pw::Evidence next = queue.front();
    if (queue.size() > 1) {
      queue.pop_front();
    }
    return next;
  }

  std::map<std::string, int> calls;

 private:
  std::mutex m_mutex;
};

// Holds every attempt until `bound` attempts are in flight (or every check has started),
// so the test sees the pool at its widest without sleeping; records the widest it saw.
class GatheringProber final : public pw::Prober {
 public:
  GatheringProber(std::size_t bound, std::size_t total) : m_bound(bound), m_total(total) {}

  pw::Evidence attempt(const pw::Check&) override {
    std::unique_lock lock(m_mutex);
    ++m_started;
    ++m_in_flight;
    max_in_flight = std::max(max_in_flight, m_in_flight);
    m_changed.notify_all();
    // Real time bounded at 10 s so a broken pool fails the test instead of hanging it.
    m_changed.wait_for(lock, 10s, [&] { return m_in_flight >= m_bound || m_started == m_total || m_released; });
    m_released = m_released || m_in_flight >= m_bound;
    --m_in_flight;
    if (m_in_flight == 0) {
      m_released = false;
    }
    return answered(200);
  }

  std::size_t max_in_flight = 0;

 private:
  std::mutex m_mutex;
  std::condition_variable m_changed;
  std::size_t m_bound;
  std::size_t m_total;
  std::size_t m_started = 0;
  std::size_t m_in_flight = 0;
  bool m_released = false;
};

pw::Check check(std::string id, int retries = 0, pw::Millis delay = 1000ms) {
  pw::Check out;
  out.id = std::move(id);
  out.url = "http://127.0.0.1/" + out.id;
  out.retries = retries;
  out.retry_delay = delay;
  return out;
}

}  // namespace

TEST_CASE("probe_all: a passing check takes one attempt") {
  ScriptedProber prober;
  prober.script["a"] = {answered(200)};
  pw::test::FakeClock clock;
  const auto results = pw::probe_all({check("a", 2)}, prober, clock, {});
  REQUIRE(results.size() == 1);
  CHECK(results[0].id == "a");
  CHECK(results[0].ok);
  CHECK(results[0].attempts == 1);
  CHECK(results[0].failed.empty());
  CHECK(clock.sleeps().empty());
}

TEST_CASE("probe_all: retries with doubling delays until an attempt passes") {
  ScriptedProber prober;
  pw::test::FakeClock clock;
  SUBCASE("fails every attempt") {
    prober.script["a"] = {refused()};
    const auto results = pw::probe_all({check("a", 3, 500ms)}, prober, clock, {});
    CHECK_FALSE(results[0].ok);
    CHECK(results[0].attempts == 4);
    CHECK(results[0].evidence.failure == pw::TransportFailure::refused);
    CHECK(results[0].failed.empty());
    CHECK(clock.sleeps() == std::vector<std::chrono::milliseconds>{500ms, 1000ms, 2000ms});
  }
  SUBCASE("passes on the third") {
    prober.script["a"] = {refused(), answered(503), answered(200)};
    const auto results = pw::probe_all({check("a", 5, 100ms)}, prober, clock, {});
    CHECK(results[0].ok);
    CHECK(results[0].attempts == 3);
    CHECK(clock.sleeps() == std::vector<std::chrono::milliseconds>{100ms, 200ms});
  }
  SUBCASE("a failed expectation counts as a failed attempt") {
    prober.script["a"] = {answered(404)};
    const auto results = pw::probe_all({check("a", 1)}, prober, clock, {});
    CHECK_FALSE(results[0].ok);
    CHECK(results[0].attempts == 2);
    REQUIRE(results[0].failed.size() == 1);
    CHECK(results[0].failed[0].message == "status 404 not in [200-399]");
  }
  SUBCASE("negative retries mean one attempt") {
    prober.script["a"] = {refused()};
    const auto results = pw::probe_all({check("a", -1)}, prober, clock, {});
    CHECK(results[0].attempts == 1);
    CHECK(prober.calls["a"] == 1);
  }
}

TEST_CASE("probe_all: results come back in config order with progress for each") {
  ScriptedProber prober;
  std::vector<pw::Check> checks;
  for (int i = 0; i < 50; ++i) {
    const std::string id = "c" + std::to_string(i);
    prober.script[id] = {i % 3 == 0 ? refused() : answered(200)};
    checks.push_back(check(id));
  }
  pw::test::FakeClock clock;
  std::vector<std::size_t> done_counts;
  const auto results = pw::probe_all(checks, prober, clock, {8},
                                     [&](const pw::CheckResult& result, std::size_t done, std::size_t total) {
                                       CHECK(total == 50);
                                       CHECK_FALSE(result.id.empty());
                                       done_counts.push_back(done);
                                     });
  REQUIRE(results.size() == 50);
  for (int i = 0; i < 50; ++i) {
    CHECK(results[static_cast<std::size_t>(i)].id == "c" + std::to_string(i));
    CHECK(results[static_cast<std::size_t>(i)].ok == (i % 3 != 0));
  }
  std::vector<std::size_t> expected(50);
  for (std::size_t i = 0; i < 50; ++i) {
    expected[i] = i + 1;
  }
  CHECK(done_counts == expected);
}

TEST_CASE("probe_all: never more checks in flight than the concurrency") {
  std::vector<pw::Check> checks;
  for (int i = 0; i < 40; ++i) {
    checks.push_back(check("c" + std::to_string(i)));
  }
  pw::test::FakeClock clock;
  for (const int concurrency : {1, 4, 16}) {
    CAPTURE(concurrency);
    GatheringProber prober(static_cast<std::size_t>(concurrency), checks.size());
    const auto results = pw::probe_all(checks, prober, clock, {concurrency});
    CHECK(results.size() == 40);
    CHECK(std::all_of(results.begin(), results.end(), [](const pw::CheckResult& r) { return r.ok; }));
    CHECK(prober.max_in_flight == static_cast<std::size_t>(concurrency));
  }
  GatheringProber silly(1, checks.size());
  pw::probe_all(checks, silly, clock, {0});
  CHECK(silly.max_in_flight == 1);
}

TEST_CASE("probe_all: bodies are judged whole, then cut for keeping") {
  ScriptedProber prober;
  const std::string big = std::string(200 * 1024, 'x') + "needle";
  prober.script["a"] = {answered(200, big)};
  pw::Check with_needle = check("a");
  with_needle.expect.body_contains = "needle";
  pw::test::FakeClock clock;
  const auto results = pw::probe_all({with_needle}, prober, clock, {});
  CHECK(results[0].ok);
  CHECK(results[0].evidence.body.size() == pw::k_kept_body_bytes);
  CHECK(results[0].evidence.body_truncated);
}

TEST_CASE("probe_all: an empty config probes nothing") {
  ScriptedProber prober;
  pw::test::FakeClock clock;
  CHECK(pw::probe_all({}, prober, clock, {}).empty());
}

TEST_CASE("probe_all: a passing attempt slower than degraded_response_time is degraded, not retried") {
  ScriptedProber prober;
  pw::Evidence slow = answered(200);
  slow.response_time = 900ms;
  prober.script["slow"] = {slow};
  prober.script["fast"] = {answered(200)};
  pw::Evidence failing = answered(500);
  failing.response_time = 900ms;
  prober.script["failing"] = {failing};
  std::vector<pw::Check> checks = {check("slow", 2), check("fast", 2), check("failing")};
  for (pw::Check& c : checks) {
    c.expect.degraded_response_time = 500ms;
  }
  pw::test::FakeClock clock;
  const auto results = pw::probe_all(checks, prober, clock, {});
  REQUIRE(results.size() == 3);
  CHECK(results[0].ok);
  CHECK(results[0].degraded);
  CHECK(results[0].attempts == 1);
  CHECK(results[0].degraded_reason == "response time 900ms over degraded_response_time 500ms");
  CHECK(results[1].ok);
  CHECK_FALSE(results[1].degraded);
  CHECK_FALSE(results[2].ok);
  CHECK_FALSE(results[2].degraded);
}
