// integration.watch_binary: the real probewatch binary running `watch --interval 1s` as a child
// process, against a fake GitHub served on loopback and a local service whose /health and /web the
// test flips between passing and failing. Every wait is a poll with a deadline on what the child
// did (its probes arriving, issues appearing), never a fixed sleep.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <support/e2e/binary_sandbox.hpp>
#include <support/e2e/http_endpoint.hpp>

#include <doctest/doctest.h>
#include <fmt/format.h>
#include <httplib.h>

#include <atomic>
#include <functional>
#include <thread>

#include <signal.h>

using namespace std::chrono_literals;
using pw::test::BinarySandbox;
using pw::test::ProcessResult;

namespace {

const pw::test::BinaryPaths k_binaries{PROBEWATCH_BINARY, RUSAGE_EXEC_BINARY};

// The service under watch. Each probe of /health counts as one cycle; with `slow` set, /health
// answers only after 2 s (within the check's 4 s timeout), so a signal can arrive mid-probe.
struct Service {
  std::atomic<int> health{200};
  std::atomic<int> web{200};
  std::atomic<int> health_hits{0};
  std::atomic<int> in_flight{0};
  std::atomic<bool> slow{false};

  pw::test::HttpEndpoint endpoint{[this](const httplib::Request& request, httplib::Response& response) {
    int status = 404;
    if (request.path == "/health") {
      ++health_hits;
      if (slow) {
        ++in_flight;
        std::this_thread::sleep_for(2s);
        --in_flight;
      }
      status = health.load();
    } else if (request.path == "/web") {
      status = web.load();
    }
    response.status = status;
    response.set_content(status == 200 ? "ok" : "down", "text/plain");
  }};
};

// Polls `done` every 20 ms until it holds or `limit` passes; returns whether it held.
bool wait_until(const std::function<bool()>& done, std::chrono::milliseconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (!done()) {
    if (std::chrono::steady_clock::now() >= deadline) {
      return false;
    }
    std::this_thread::sleep_for(20ms);
  }
  return true;
}

struct Watch : BinarySandbox {
  Watch() : BinarySandbox(k_binaries) {
    write_file("probewatch.yml", fmt::format("defaults: {{ timeout: 4s, retries: 0 }}\n"
                                             "checks:\n"
                                             "  - id: api-health\n    name: API health\n    url: {}\n"
                                             "  - id: web\n    name: Web\n    url: {}\n",
                                             service.endpoint.url("/health"), service.endpoint.url("/web")));
  }

  // Starts `probewatch watch` as a child; its pid is probewatch's own (no rusage helper between).
  std::unique_ptr<pw::test::Process> start() {
    pw::test::ProcessSpec process = spec(
        {"watch", "--config", "probewatch.yml", "--interval", "1s", "--duration", "90s", "--no-progress"}, {}, 100s);
    process.rusage_exec.clear();
    return std::make_unique<pw::test::Process>(std::move(process));
  }

  // Waits until `cycles` more probes of /health have arrived.
  bool cycles_pass(int cycles, std::chrono::milliseconds limit) {
    const int target = service.health_hits + cycles;
    return wait_until([&] { return service.health_hits >= target; }, limit);
  }

  // Sends SIGTERM and waits for the child; returns how it ended and how long that took.
  std::pair<ProcessResult, std::chrono::milliseconds> terminate(pw::test::Process& watch) {
    const auto sent = std::chrono::steady_clock::now();
    REQUIRE(::kill(watch.pid(), SIGTERM) == 0);
    ProcessResult ended = watch.wait();
    const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - sent);
    MESSAGE("watch ended: " << ended.describe() << " " << took.count() << " ms after SIGTERM\nstdout:\n"
                            << ended.out << "\nstderr:\n"
                            << ended.err);
    return {ended, took};
  }

  Service service;
};

}  // namespace

TEST_CASE("watch binary: opens within a few intervals, quiet cycles cost nothing, closes, stops on SIGTERM") {
  Watch s;
  auto watch = s.start();

  // The first cycle: everything passes; the dashboard is created.
  REQUIRE(wait_until([&] { return s.open_dashboards().size() == 1; }, 10s));

  // Down: one incident within a few intervals (cycles), and only one.
  REQUIRE(s.cycles_pass(1, 5s));
  const int down_at = s.service.health_hits;
  s.service.health = 503;
  REQUIRE(wait_until([&] { return s.incidents("api-health").size() == 1; }, 6s));
  CHECK(s.service.health_hits - down_at <= 3);

  // Once the cycle after the open has started, the open's writes are done: ten quiet cycles in a
  // row (the check still failing the same way) send no request at all.
  REQUIRE(s.cycles_pass(2, 6s));
  s.github.clear_requests();
  REQUIRE(s.cycles_pass(11, 16s));
  CHECK(s.github.requests().empty());
  CHECK(s.incidents("api-health").size() == 1);
  const int number = s.incidents("api-health")[0].number;

  // Recovery: the incident closes with a recovery comment.
  s.service.health = 200;
  REQUIRE(wait_until([&] { return s.incidents("api-health").empty(); }, 8s));
  const auto closed = s.github.issue(BinarySandbox::k_repo, number);
  REQUIRE(closed.has_value());
  CHECK(closed->state == "closed");
  CHECK(s.comments(number).size() == 1);

  // SIGTERM while a cycle probes: nothing is half done, so it exits at once with the last cycle's code.
  REQUIRE(s.cycles_pass(2, 6s));
  s.service.slow = true;
  REQUIRE(wait_until([&] { return s.service.in_flight > 0; }, 4s));
  s.github.clear_requests();
  const auto [ended, took] = s.terminate(*watch);
  CHECK(ended.exit_code == 0);
  CHECK(took < 5s);
  CHECK(ended.err.find("probewatch: SIGTERM: stopped after ") != std::string::npos);
  CHECK(ended.err.find(" cycle(s), nothing left half done; exit code 0\n") != std::string::npos);
  CHECK(s.github.requests().empty());
  CHECK(ended.out.find(BinarySandbox::k_token) == std::string::npos);
  CHECK(ended.err.find(BinarySandbox::k_token) == std::string::npos);
  s.service.slow = false;

  // The next run finds the state consistent: nothing open, one dashboard, nothing to do.
  const ProcessResult next = s.run({"run", "--config", "probewatch.yml"});
  INFO("run stdout:\n" << next.out << "\nstderr:\n" << next.err);
  CHECK(next.exit_code == 0);
  CHECK(next.out.find("no issue changes") != std::string::npos);
  CHECK(s.incidents("api-health", "").size() == 1);
  CHECK(s.open_dashboards().size() == 1);
}

TEST_CASE("watch binary: SIGTERM while a cycle writes finishes the write in flight; the next run completes it") {
  Watch s;
  s.service.web = 503;
  auto watch = s.start();
  // The incident is created by the first cycle; its dashboard write follows a second later (writes
  // are spaced), so SIGTERM now arrives mid-write.
  REQUIRE(wait_until([&] { return s.incidents("web").size() == 1; }, 10s));
  const auto [ended, took] = s.terminate(*watch);
  CHECK(took < 5s);
  CHECK(ended.signal == 0);
  CHECK(ended.exit_code == 1);  // the cycle it let finish had a failing check
  CHECK(ended.err.find("probewatch: SIGTERM: stopped after 1 cycle(s), nothing left half done; exit code 1\n") !=
        std::string::npos);

  // The next run adopts the incident (no duplicate) and writes what the stopped cycle left.
  const ProcessResult next = s.run({"run", "--config", "probewatch.yml"});
  INFO("run stdout:\n" << next.out << "\nstderr:\n" << next.err);
  CHECK(next.exit_code == 1);
  CHECK(s.incidents("web", "").size() == 1);
  CHECK(s.incidents("web").size() == 1);
  CHECK(s.open_dashboards().size() == 1);
  CHECK(s.github.count_requests("POST", "create_issue") == 2);  // the incident and one dashboard, no duplicate
}
