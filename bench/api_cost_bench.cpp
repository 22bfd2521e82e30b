// api_cost_bench: GitHub requests per hour for an outage of N checks on a 5-minute schedule.
// The real `probewatch run` in process (AppHarness: the real CLI and GitHub client over a fake
// GitHub, scripted probes, a fake clock) runs every 5 minutes for a simulated day while every
// check fails the same way. The baseline, in the same run, is the same config with
// `refresh: 0s` and `change_throttle: 0s`: every failing incident rewritten on every run, as
// probewatch did before writes were made proportional to change.
#include <support/app/app_harness.hpp>

#include <fmt/format.h>

#include <chrono>
#include <cstdlib>
#include <iostream>
#include <string>

using namespace std::chrono_literals;

namespace {

struct Cost {
  double requests_per_hour = 0;
  double writes_per_hour = 0;
  std::size_t first_run = 0;
  int quiet_runs = 0;              // runs that wrote nothing
  std::size_t quiet_requests = 0;  // what they cost together
  std::size_t changing_runs = 0;   // runs with a write (refresh, reminder, dashboard hour)
};

Cost measure(int checks, int hours, const std::string& issues) {
  pw::test::AppHarness app;
  std::string yaml = "defaults: { retries: 0 }\nissues: { write_budget: 10000" + issues + " }\nchecks:\n";
  for (int i = 0; i < checks; ++i) {
    const std::string url = fmt::format("http://svc{}.test/health", i);
    yaml += fmt::format("  - id: svc-{}\n    url: {}\n", i, url);
    app.prober.set_status(url, 503);
  }
  app.write_config(yaml);
  app.run_config();
  Cost cost;
  cost.first_run = app.github.requests().size();
  app.github.clear_requests();
  const int runs = hours * 12;
  std::size_t requests_so_far = 0;
  std::size_t writes = 0;
  for (int run = 0; run < runs; ++run) {
    app.clock.advance(5min);
    app.run_config();
    const auto log = app.github.requests();
    std::size_t run_writes = 0;
    for (std::size_t i = requests_so_far; i < log.size(); ++i) {
      run_writes += log[i].method != "GET";
    }
    if (run_writes == 0) {
      ++cost.quiet_runs;
      cost.quiet_requests += log.size() - requests_so_far;
    } else {
      ++cost.changing_runs;
    }
    writes += run_writes;
    requests_so_far = log.size();
  }
  const auto requests = app.github.requests();
  cost.requests_per_hour = static_cast<double>(requests.size()) / hours;
  cost.writes_per_hour = static_cast<double>(writes) / hours;
  return cost;
}

}  // namespace

int main(int argc, char** argv) {
  int checks = 100;
  int hours = 24;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--checks") {
      checks = std::atoi(argv[i + 1]);
    } else if (flag == "--hours") {
      hours = std::atoi(argv[i + 1]);
    }
  }
  const Cost now = measure(checks, hours, "");
  const Cost before = measure(checks, hours, ", refresh: 0s, change_throttle: 0s");
  std::cout << fmt::format("{} checks failing, a run every 5 minutes for {} h (after the opening run)\n", checks,
                           hours);
  std::cout << fmt::format("  {:<34} {:>10} {:>10}\n", "", "requests/h", "writes/h");
  std::cout << fmt::format("  {:<34} {:>10.1f} {:>10.1f}\n", "every incident rewritten each run",
                           before.requests_per_hour, before.writes_per_hour);
  std::cout << fmt::format("  {:<34} {:>10.1f} {:>10.1f}\n", "defaults (refresh 6h, throttle 1h)",
                           now.requests_per_hour, now.writes_per_hour);
  std::cout << fmt::format("  ratio {:.1f}x fewer requests; the opening run: {} requests\n",
                           before.requests_per_hour / now.requests_per_hour, now.first_run);
  std::cout << fmt::format(
      "  defaults: {} quiet runs (nothing written) cost {} requests ({:.2f} each); {} runs wrote\n", now.quiet_runs,
      now.quiet_requests, now.quiet_runs == 0 ? 0.0 : static_cast<double>(now.quiet_requests) / now.quiet_runs,
      now.changing_runs);
  return 0;
}
