// Fault matrix, end to end in process: every fault the fake GitHub can inject, at every request
// of a run, then a clean run. The final state must be what a fault-free run gives, no incident is
// ever created twice, and a run that left work undone exits 3.
#include <support/app/app_harness.hpp>

#include <doctest/doctest.h>

#include <map>

using namespace std::chrono_literals;
using pw::test::AppHarness;
using pw::test::FaultKind;
using pw::test::FaultRule;

namespace {

constexpr const char* k_matrix_config =
    "defaults: { retries: 0 }\nchecks:\n  - name: A\n    url: http://a.test/\n  - name: B\n    url: http://b.test/\n"
    "  - name: C\n    url: http://c.test/\n";

struct Outcome {
  int exit_code = 0;
  std::size_t requests = 0;
};

// B is already failing with an open incident; in the run under test A starts failing and B recovers.
struct World : AppHarness {
  explicit World(int people_issues) {
    write_config(k_matrix_config);
    for (int i = 0; i < people_issues; ++i) {
      github.add_issue(k_repo, {"Someone's note " + std::to_string(i), "no marker here", {"probewatch"}});
    }
    prober.set_status("http://a.test/", 200);
    prober.set_status("http://b.test/", 503);
    prober.set_status("http://c.test/", 200);
    clock.advance(5min);
    REQUIRE(run_config().exit_code == 1);
    prober.set_status("http://a.test/", 404);
    prober.set_status("http://b.test/", 200);
    github.clear_requests();
  }
  Outcome step() {
    clock.advance(5min);
    const auto result = run_config();
    return {result.exit_code, github.requests().size()};
  }
  // Open incidents per check, and how many incident issues each check ever got.
  std::map<std::string, int> open_by_check() const {
    std::map<std::string, int> out;
    for (const auto& issue : open_incidents()) {
      ++out[issue.title.substr(0, issue.title.find(' '))];
    }
    return out;
  }
  std::map<std::string, int> created_by_check() const {
    std::map<std::string, int> out;
    for (const auto& issue : github.issues(k_repo)) {
      if (issue.body && issue.body->find("\"kind\":\"incident\"") != std::string::npos) {
        ++out[issue.title.substr(0, issue.title.find(' '))];
      }
    }
    return out;
  }
};

struct Fault {
  const char* name;
  FaultKind kind;
  bool after_apply = false;
  std::optional<int> retry_after;
  std::string query;
};

}  // namespace

TEST_CASE("fault matrix: every fault at every request of a run, then a clean run") {
  const std::vector<Fault> faults = {
      {"500", FaultKind::http_500},
      {"500 after applying", FaultKind::http_500, true},
      {"502", FaultKind::http_502},
      {"502 after applying", FaultKind::http_502, true},
      {"secondary limit with retry-after", FaultKind::secondary_limit, false, 30},
      {"secondary limit without retry-after", FaultKind::secondary_limit},
      {"429", FaultKind::too_many_requests, false, 5},
      {"401", FaultKind::unauthorized},
      {"403", FaultKind::forbidden},
      {"410", FaultKind::gone},
      {"422", FaultKind::validation},
      {"connection reset", FaultKind::reset},
      {"connection reset after applying", FaultKind::reset, true},
      {"timeout", FaultKind::timeout},
      {"timeout after applying", FaultKind::timeout, true},
  };

  // The fault-free run, for reference.
  std::map<std::string, int> expected;
  std::size_t steps = 0;
  {
    World clean(0);
    const Outcome outcome = clean.step();
    CHECK(outcome.exit_code == 1);
    expected = clean.open_by_check();
    steps = outcome.requests;
    CHECK(expected == std::map<std::string, int>{{"A", 1}});
    REQUIRE(steps >= 5);
  }

  std::size_t tried = 0;
  for (const Fault& fault : faults) {
    for (std::size_t k = 1; k <= steps; ++k) {
      World world(0);
      FaultRule rule;
      rule.fault = fault.kind;
      rule.nth = static_cast<int>(k);
      rule.after_apply = fault.after_apply;
      rule.retry_after = fault.retry_after;
      world.github.inject(rule);
      const Outcome faulty = world.step();
      REQUIRE(world.github.faults().size() == 1);
      CHECK(world.github.faults()[0].fired == 1);  // the fault really hit the run
      world.github.clear_faults();
      INFO("fault " << fault.name << " at request " << k << " of " << steps << ", exit " << faulty.exit_code);
      const bool done = world.open_by_check() == expected;
      CHECK((done || faulty.exit_code == 3));
      CHECK(faulty.exit_code != 2);
      // A clean run repairs whatever was left.
      const Outcome repair = world.step();
      CHECK(repair.exit_code == 1);
      CHECK(world.open_by_check() == expected);
      for (const auto& [check, created] : world.created_by_check()) {
        INFO("check " << check);
        CHECK(created == 1);  // never a second incident for one outage
      }
      ++tried;
    }
  }

  // A failure in the middle of pagination: 150 people's issues make the list two pages long.
  for (const FaultKind kind : {FaultKind::http_502, FaultKind::reset, FaultKind::forbidden}) {
    World world(150);
    FaultRule rule;
    rule.fault = kind;
    rule.query = "page=2";
    world.github.inject(rule);
    const Outcome faulty = world.step();
    CHECK(world.github.faults()[0].fired == 1);
    world.github.clear_faults();
    CHECK((world.open_by_check() == expected || faulty.exit_code == 3));
    CHECK(faulty.exit_code != 2);
    CHECK(world.step().exit_code == 1);
    CHECK(world.open_by_check() == expected);
    for (const auto& [check, created] : world.created_by_check()) {
      INFO("check " << check);
      CHECK(created == 1);
    }
    ++tried;
  }
  MESSAGE("faults tried: " << tried << " (" << faults.size() << " kinds at each of " << steps
                           << " requests, plus 3 mid-pagination)");
}
