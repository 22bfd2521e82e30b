// local_tracker_bench: `probewatch run --tracker local` for N failing checks against
// `probewatch check` on the same config, in the same run. The real CLI in process (AppHarness:
// scripted probes, a fake clock), the real LocalTracker on disk in a temporary folder. What is
// left over `check` is the cost of the incidents: reconcile, rendering and the tracker file.
#include <support/app/app_harness.hpp>

#include <fmt/format.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <string>

using namespace std::chrono_literals;

namespace {

double timed_ms(pw::test::AppHarness& app, std::vector<std::string> args, int expected) {
  const auto start = std::chrono::steady_clock::now();
  const auto result = app.run(std::move(args));
  const auto elapsed = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  if (result.exit_code != expected) {
    std::cerr << fmt::format("unexpected exit {} (wanted {}):\n{}\n", result.exit_code, expected, result.err);
    std::exit(1);
  }
  return elapsed;
}

}  // namespace

int main(int argc, char** argv) {
  int checks = 5000;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (std::string(argv[i]) == "--checks") {
      checks = std::atoi(argv[i + 1]);
    }
  }
  pw::test::AppHarness app;
  std::string yaml = "defaults: { retries: 0 }\nissues: { write_budget: 10000 }\nchecks:\n";
  for (int i = 0; i < checks; ++i) {
    const std::string url = fmt::format("http://svc{}.test/health", i);
    yaml += fmt::format("  - id: svc-{}\n    url: {}\n    expect: {{ status: 200 }}\n", i, url);
    app.prober.set_status(url, 503);
  }
  app.write_config(yaml);
  const std::vector<std::string> run = {"run",       "--config",          "probewatch.yml",
                                        "--tracker", "local:issues.json", "--no-progress"};
  const double check = timed_ms(app, {"check", "--config", "probewatch.yml", "--no-progress"}, 1);
  const double opening = timed_ms(app, run, 1);
  app.clock.advance(5min);
  const double steady = timed_ms(app, run, 1);
  for (int i = 0; i < checks; ++i) {
    app.prober.set_status(fmt::format("http://svc{}.test/health", i), 200);
  }
  app.clock.advance(5min);
  const double recovery = timed_ms(app, run, 0);
  const auto bytes = std::filesystem::file_size(app.path("issues.json"));

  std::cout << fmt::format("{} checks failing, local tracker ({:.1f} MB file after the recovery)\n", checks,
                           static_cast<double>(bytes) / 1e6);
  std::cout << fmt::format("  {:<40} {:>9} {:>9}\n", "", "wall ms", "x check");
  auto row = [&](const char* what, double ms) {
    std::cout << fmt::format("  {:<40} {:>9.0f} {:>9.2f}\n", what, ms, ms / check);
  };
  row("check (baseline: probe and print)", check);
  row("run: opens every incident", opening);
  row("run: still failing, nothing to write", steady);
  row("run: every check recovered, closes all", recovery);
  return 0;
}
