// Scale: 5,000 checks across 10 shards with 500 incidents open, against the fake GitHub. Shards
// run at once on threads, as a GitHub Actions matrix would. Everything must stay correct: no
// duplicate, no lost close, no shard touching another's incidents or dashboard.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <support/app/app_harness.hpp>

#include <doctest/doctest.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <fstream>
#include <map>
#include <sstream>
#include <thread>

using namespace std::chrono_literals;
using pw::test::AppHarness;

namespace {

constexpr int k_checks = 5000;
constexpr int k_shards = 10;
constexpr int k_failing = 500;

std::string url_of(int i) { return fmt::format("http://svc-{}.test/health", i); }

struct ShardRun {
  int exit_code = 0;
  std::size_t requests = 0;
  double seconds = 0;
  std::size_t actions = 0;
};

struct Fleet : AppHarness {
  Fleet() {
    std::string yaml = "defaults: { retries: 0 }\nissues: { reminder: 1000d }\nchecks:\n";
    for (int i = 0; i < k_checks; ++i) {
      yaml += fmt::format("  - id: svc-{}\n    url: {}\n", i, url_of(i));
      prober.set_status(url_of(i), 200);
    }
    write_config(yaml);
  }

  // Runs every shard at once; returns what each did.
  std::vector<ShardRun> run_all_shards() {
    clock.advance(5min);
    std::vector<ShardRun> runs(k_shards);
    std::vector<std::thread> threads;
    for (int shard = 1; shard <= k_shards; ++shard) {
      threads.emplace_back([this, shard, &runs] {
        const std::string report = path(fmt::format("report-{}.json", shard)).string();
        const auto start = std::chrono::steady_clock::now();
        const auto result = run_here({"run", "--config", path("probewatch.yml").string(), "--no-progress", "--shard",
                                      fmt::format("{}/{}", shard, k_shards), "--report", report});
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        std::ifstream in(report);
        std::stringstream text;
        text << in.rdbuf();
        const auto json = nlohmann::json::parse(text.str(), nullptr, false);
        runs[static_cast<std::size_t>(shard - 1)] = {result.exit_code,
                                                     json.is_object() ? json.value("api_requests", std::size_t{0}) : 0,
                                                     seconds, json.is_object() ? json["actions"].size() : 0};
      });
    }
    for (std::thread& thread : threads) {
      thread.join();
    }
    return runs;
  }

  std::map<std::string, int> open_incidents_by_check() const {
    std::map<std::string, int> out;
    for (const auto& issue : open_incidents()) {
      const std::size_t at = issue.body->find("\"check\":\"") + 9;
      ++out[issue.body->substr(at, issue.body->find('"', at) - at)];
    }
    return out;
  }

  std::size_t dashboards() const {
    std::size_t count = 0;
    for (const auto& issue : github.issues(k_repo)) {
      count += issue.state == "open" && issue.body && issue.body->find("\"kind\":\"dashboard\"") != std::string::npos;
    }
    return count;
  }
};

void print(const char* phase, const std::vector<ShardRun>& runs) {
  std::size_t total = 0;
  double slowest = 0;
  std::string per_shard;
  for (const ShardRun& run : runs) {
    total += run.requests;
    slowest = std::max(slowest, run.seconds);
    per_shard += fmt::format(" {}", run.requests);
  }
  MESSAGE(
      fmt::format("{}: requests per shard:{} (total {}); slowest shard {:.2f} s", phase, per_shard, total, slowest));
}

}  // namespace

TEST_CASE("scale: 5,000 checks, 10 shards, 500 incidents") {
  Fleet fleet;
  auto runs = fleet.run_all_shards();
  print("first run (dashboards created)", runs);
  CHECK(fleet.dashboards() == k_shards);

  // 500 checks go down, spread over every shard.
  for (int i = 0; i < k_checks; i += k_checks / k_failing) {
    fleet.prober.set_status(url_of(i), 503);
  }
  runs = fleet.run_all_shards();
  print("500 checks fail (500 incidents opened)", runs);
  auto open = fleet.open_incidents_by_check();
  CHECK(open.size() == static_cast<std::size_t>(k_failing));
  for (const auto& [check, count] : open) {
    CHECK(count == 1);
  }

  runs = fleet.run_all_shards();
  print("still failing, 500 incidents open (body updates only)", runs);
  CHECK(fleet.open_incidents_by_check().size() == static_cast<std::size_t>(k_failing));
  for (const ShardRun& run : runs) {
    CHECK(run.exit_code == 1);
  }

  // Half recover: every one of them must be closed, none lost between concurrent shards.
  for (int i = 0; i < k_checks; i += 2 * (k_checks / k_failing)) {
    fleet.prober.set_status(url_of(i), 200);
  }
  runs = fleet.run_all_shards();
  print("250 recover (250 closes)", runs);
  open = fleet.open_incidents_by_check();
  CHECK(open.size() == static_cast<std::size_t>(k_failing / 2));
  CHECK(fleet.dashboards() == k_shards);

  // Everything recovers; then a quiet run costs each shard only its list requests.
  for (int i = 0; i < k_checks; ++i) {
    fleet.prober.set_status(url_of(i), 200);
  }
  fleet.run_all_shards();
  CHECK(fleet.open_incidents_by_check().empty());
  runs = fleet.run_all_shards();
  print("quiet run", runs);
  for (const ShardRun& run : runs) {
    CHECK(run.exit_code == 0);
    CHECK(run.actions == 0);
  }
  std::size_t incidents_ever = 0;
  for (const auto& issue : fleet.github.issues(AppHarness::k_repo)) {
    incidents_ever += issue.body && issue.body->find("\"kind\":\"incident\"") != std::string::npos;
  }
  CHECK(incidents_ever == static_cast<std::size_t>(k_failing));  // no duplicate was ever filed
}
