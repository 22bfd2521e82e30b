// integration.engine_binary: the real probewatch binary as a child process, over several runs,
// against a fake GitHub served on loopback and a local service whose answers the test sets. What
// test_incidents_engine.cpp checks in process, through the real executable, its real clock (writes
// spaced 1 s apart, as GitHub asks) and real sockets.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <support/e2e/binary_sandbox.hpp>
#include <support/e2e/http_endpoint.hpp>

#include <doctest/doctest.h>
#include <fmt/format.h>
#include <httplib.h>

#include <atomic>
#include <charconv>

using namespace std::chrono_literals;
using pw::test::BinarySandbox;
using pw::test::FakeIssue;
using pw::test::ProcessResult;

namespace {

const pw::test::BinaryPaths k_binaries{PROBEWATCH_BINARY, RUSAGE_EXEC_BINARY};

// /svc/N answers 503 while N < `failing`, else 200.
struct Service {
  std::atomic<int> failing{0};
  pw::test::HttpEndpoint endpoint{[this](const httplib::Request& request, httplib::Response& response) {
    int n = -1;
    if (request.path.starts_with("/svc/")) {
      std::from_chars(request.path.data() + 5, request.path.data() + request.path.size(), n);
    }
    response.status = n < 0 ? 404 : n < failing.load() ? 503 : 200;
    response.set_content(response.status == 200 ? "ok" : "down", "text/plain");
  }};
};

std::string config_of(const Service& service, int checks, int concurrency = 16) {
  std::string yaml = fmt::format("concurrency: {}\ndefaults: {{ timeout: 10s, retries: 0 }}\nchecks:\n", concurrency);
  for (int i = 0; i < checks; ++i) {
    yaml += fmt::format("  - id: svc-{}\n    url: {}\n", i, service.endpoint.url(fmt::format("/svc/{}", i)));
  }
  return yaml;
}

struct Engine : BinarySandbox {
  Engine() : BinarySandbox(k_binaries) {}

  int step(const std::string& config, std::chrono::milliseconds timeout = 50s) {
    github.clear_requests();
    last = run({"run", "--config", config}, {}, timeout);
    MESSAGE("run " << ++runs << " (" << config << "): " << last.describe() << ", " << last.wall.count() << " ms, "
                   << github.requests().size() << " requests");
    INFO("stdout:\n" << last.out.substr(0, 4000) << "\nstderr:\n" << last.err.substr(0, 4000));
    CHECK_FALSE(last.timed_out);
    CHECK(last.signal == 0);
    CHECK(last.err.find("internal error") == std::string::npos);
    return last.exit_code;
  }

  // Open incidents of `check` whose marker names `config` as its owner.
  std::vector<FakeIssue> owned(const std::string& check, const std::string& config) const {
    std::vector<FakeIssue> out;
    for (const FakeIssue& issue : incidents(check)) {
      if (issue.body->find(fmt::format("\"config\":\"{}\"", config)) != std::string::npos) {
        out.push_back(issue);
      }
    }
    return out;
  }

  std::size_t open_incidents() const {
    std::size_t count = 0;
    for (const FakeIssue& issue : github.issues(k_repo)) {
      count += issue.state == "open" && issue.body && issue.body->find("\"kind\":\"incident\"") != std::string::npos;
    }
    return count;
  }

  Service service;
  ProcessResult last;
  int runs = 0;
};

}  // namespace

TEST_CASE("engine binary: two config files on one label, alternating runs, never touch each other's issues") {
  Engine s;
  // The same check ids in both files: only the owner in each marker tells the incidents apart.
  s.write_file("a.yml", config_of(s.service, 2));
  s.write_file("b.yml", config_of(s.service, 2));
  CHECK(s.step("a.yml") == 0);
  CHECK(s.step("b.yml") == 0);
  CHECK(s.open_dashboards().size() == 2);

  s.service.failing = 1;  // svc-0 goes down
  CHECK(s.step("a.yml") == 1);
  REQUIRE(s.owned("svc-0", "a.yml").size() == 1);
  CHECK(s.owned("svc-0", "b.yml").empty());
  CHECK(s.step("b.yml") == 1);
  REQUIRE(s.owned("svc-0", "b.yml").size() == 1);
  const int a_issue = s.owned("svc-0", "a.yml")[0].number;
  const int b_issue = s.owned("svc-0", "b.yml")[0].number;
  CHECK(a_issue != b_issue);

  // Quiet alternating runs: each costs the list alone and writes nothing to the other's issues.
  for (int round = 0; round < 2; ++round) {
    for (const char* config : {"a.yml", "b.yml"}) {
      CHECK(s.step(config) == 1);
      CHECK(s.github.requests().size() == 1);
    }
  }

  // a.yml drops svc-0: a closes its own incident as not planned; b's stays open and untouched.
  const std::string b_body = *s.github.issue(BinarySandbox::k_repo, b_issue)->body;
  std::string only_svc1 = config_of(s.service, 2);
  only_svc1.erase(only_svc1.find("  - id: svc-0"), only_svc1.find("  - id: svc-1") - only_svc1.find("  - id: svc-0"));
  s.write_file("a.yml", only_svc1);
  CHECK(s.step("a.yml") == 0);
  CHECK(s.github.issue(BinarySandbox::k_repo, a_issue)->state == "closed");
  CHECK(s.github.issue(BinarySandbox::k_repo, a_issue)->state_reason == "not_planned");
  CHECK(s.github.issue(BinarySandbox::k_repo, b_issue)->state == "open");
  CHECK(*s.github.issue(BinarySandbox::k_repo, b_issue)->body == b_body);
  CHECK(s.comments(b_issue).empty());

  // b is not muted by a's "not planned" close: it still fails, then recovers and closes as completed.
  CHECK(s.step("b.yml") == 1);
  CHECK(s.github.requests().size() == 1);
  s.service.failing = 0;
  CHECK(s.step("b.yml") == 0);
  CHECK(s.github.issue(BinarySandbox::k_repo, b_issue)->state == "closed");
  CHECK(s.github.issue(BinarySandbox::k_repo, b_issue)->state_reason == "completed");
  REQUIRE(s.comments(b_issue).size() == 1);
  CHECK(s.comments(b_issue)[0].body.starts_with("**Recovered after "));
  CHECK(s.comments(a_issue).size() == 1);  // a's removal note only
  CHECK(s.open_dashboards().size() == 2);  // each kept its own dashboard
}

TEST_CASE("engine binary: 100 checks failing, 12 quiet runs in a row, each exactly one request") {
  Engine s;
  s.write_file("outage.yml", config_of(s.service, 100));
  s.service.failing = 100;
  // The default write budget (80 new issues and comments a run, the dashboard among them) opens
  // the outage over two runs: 79 incidents and the dashboard, then 21.
  CHECK(s.step("outage.yml", 240s) == 1);
  CHECK(s.github.count_requests("POST", "create_issue") == 80);
  CHECK(s.step("outage.yml", 240s) == 1);
  CHECK(s.github.count_requests("POST", "create_issue") == 21);
  REQUIRE(s.open_incidents() == 100);
  REQUIRE(s.open_dashboards().size() == 1);
  // 101 open managed issues are two pages of the list; the first page of recently updated issues
  // and the dashboard's listing tell a quiet run the rest.
  for (int run = 0; run < 12; ++run) {
    CHECK(s.step("outage.yml") == 1);
    REQUIRE(s.github.requests().size() == 1);
    CHECK(s.github.requests()[0].method == "GET");
    CHECK(s.github.requests()[0].query == "labels=probewatch&state=all&sort=updated&direction=desc&per_page=100");
  }
  CHECK(s.open_incidents() == 100);

  // A change still reaches every page: five recover, each closes with its note.
  s.service.failing = 95;
  CHECK(s.step("outage.yml", 120s) == 1);
  CHECK(s.open_incidents() == 95);
  CHECK(s.github.count_requests("POST", "create_comment") == 5);
  CHECK(s.step("outage.yml") == 1);
  CHECK(s.github.requests().size() == 1);
}

TEST_CASE("engine binary: one config of 10,000 checks, without shards") {
  Engine s;
  constexpr int k_checks = 10'000;
  constexpr int k_failing = 50;
  // Eight at a time: the test's HTTP server has eight threads and a listen backlog of five, and
  // more connections at once would wait on SYN retransmits (1 s, 2 s, 4 s, ...).
  s.write_file("big.yml", config_of(s.service, k_checks, 8));

  CHECK(s.step("big.yml", 120s) == 0);  // all pass: no incident; the dashboard is created
  CHECK(s.open_incidents() == 0);
  REQUIRE(s.open_dashboards().size() == 1);
  CHECK(s.open_dashboards()[0].body->size() <= 65'536);
  CHECK(s.step("big.yml", 120s) == 0);  // quiet: the list alone
  CHECK(s.github.requests().size() == 1);

  s.service.failing = k_failing;
  CHECK(s.step("big.yml", 240s) == 1);  // 50 incidents, one write a second
  CHECK(s.open_incidents() == k_failing);
  CHECK(s.github.count_requests("POST", "create_issue") == k_failing);
  for (int i = 0; i < k_failing; i += 7) {
    CHECK(s.incidents(fmt::format("svc-{}", i)).size() == 1);
  }
  CHECK(s.step("big.yml", 120s) == 1);  // still failing, nothing changed: the list alone
  CHECK(s.github.requests().size() == 1);

  s.service.failing = 0;
  CHECK(s.step("big.yml", 300s) == 0);  // all recover: each closes with its note
  CHECK(s.open_incidents() == 0);
  CHECK(s.github.count_requests("POST", "create_comment") == k_failing);
  CHECK(s.open_dashboards().size() == 1);
}
