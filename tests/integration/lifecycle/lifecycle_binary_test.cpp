// integration.lifecycle_binary: the real probewatch binary, run as a child process over many runs,
// against a fake GitHub served on loopback and a local service whose /health and /web the test
// flips between passing and failing. What test_cli_run.cpp checks in process, through the real
// executable, its real clock, real sockets and the real environment.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <support/e2e/binary_sandbox.hpp>
#include <support/e2e/http_endpoint.hpp>
#include <support/fault_server.hpp>

#include <doctest/doctest.h>
#include <fmt/format.h>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <memory>

using namespace std::chrono_literals;
using nlohmann::json;
using pw::test::BinarySandbox;
using pw::test::FakeIssue;
using pw::test::ProcessResult;

namespace {

const pw::test::BinaryPaths k_binaries{PROBEWATCH_BINARY, RUSAGE_EXEC_BINARY};

// The service under watch: /health and /web answer the status the test sets. With a barrier of N,
// /health holds each answer until N requests have arrived (or 1.5 s passed, within the checks'
// 5 s timeout), so N runs leave their probes at the same moment and race for the incident.
struct Service {
  std::atomic<int> health{200};
  std::atomic<int> web{200};
  std::atomic<int> barrier{0};
  std::mutex mutex;
  std::condition_variable arrived;
  int waiting = 0;

  pw::test::HttpEndpoint endpoint{[this](const httplib::Request& request, httplib::Response& response) {
    if (request.path == "/health" && barrier > 0) {
      std::unique_lock lock(mutex);
      ++waiting;
      arrived.notify_all();
      arrived.wait_for(lock, 1500ms, [this] { return waiting >= barrier.load(); });
    }
    const int status = request.path == "/health" ? health.load() : request.path == "/web" ? web.load() : 404;
    response.status = status;
    response.set_content(status == 200 ? R"({"status":"ok"})" : R"({"status":"down"})", "application/json");
  }};
};

std::string config_for(const Service& service, bool with_web) {
  std::string yaml = fmt::format(
      "defaults: {{ timeout: 5s, retries: 0 }}\n"
      "checks:\n"
      "  - id: api-health\n    name: API health\n    url: {}\n    expect: {{ status: 200 }}\n",
      service.endpoint.url("/health"));
  if (with_web) {
    yaml += fmt::format("  - id: web\n    name: Web\n    url: {}\n", service.endpoint.url("/web"));
  }
  return yaml;
}

std::string issue_url(int number) {
  return fmt::format("{}/{}/issues/{}", BinarySandbox::k_web_url, BinarySandbox::k_repo, number);
}

const json* find_check(const json& report, const std::string& id) {
  for (const json& check : report.at("checks")) {
    if (check.at("id") == id) {
      return &check;
    }
  }
  return nullptr;
}

struct Lifecycle : BinarySandbox {
  Lifecycle() : BinarySandbox(k_binaries) { write_file("probewatch.yml", config_for(service, true)); }

  // One run of `probewatch run --config probewatch.yml <extra>`; the fake's request log holds only
  // this run's requests afterwards.
  int step(std::vector<std::string> extra = {}) {
    github.clear_requests();
    std::vector<std::string> args{"run", "--config", "probewatch.yml"};
    args.insert(args.end(), extra.begin(), extra.end());
    last = run(args);
    MESSAGE("run " << ++runs << " (" << fmt::format("{}", fmt::join(extra, " ")) << "): " << last.describe() << ", "
                   << last.wall.count() << " ms, " << github.requests().size() << " requests");
    INFO("stdout:\n" << last.out << "\nstderr:\n" << last.err);
    CHECK_FALSE(last.timed_out);
    CHECK(last.signal == 0);
    CHECK(last.out.find(k_token) == std::string::npos);
    CHECK(last.err.find(k_token) == std::string::npos);
    return last.exit_code;
  }

  json report(const std::string& name) const {
    const json parsed = json::parse(read_file(name), nullptr, false);
    REQUIRE_MESSAGE(parsed.is_object(), "report " << name << ":\n" << read_file(name));
    return parsed;
  }

  FakeIssue issue(int number) const {
    auto found = github.issue(k_repo, number);
    REQUIRE(found.has_value());
    return *found;
  }

  Service service;
  ProcessResult last;
  int runs = 0;
};

}  // namespace

TEST_CASE("lifecycle binary: open, keep current, recover, reopen, remove, leave people's issues alone") {
  Lifecycle s;
  // A person's issue and a pull request carrying the bot's label (the pull request even carries a
  // marker for the check): neither may ever be touched.
  const int theirs =
      s.github.add_issue(BinarySandbox::k_repo, {"API health is failing", "It is down for me", {"probewatch"}});
  const std::string pull_body = R"(<!-- probewatch:v1 {"kind":"incident","check":"api-health"} -->)";
  const int pull = s.github.add_pull_request(BinarySandbox::k_repo, {"Fix the API", pull_body, {"probewatch"}});

  SUBCASE("the whole life of one incident") {
    CHECK(s.step() == 0);  // first run: every check passes; the dashboard is created
    CHECK(s.github.count_requests("POST", "create_issue") == 1);
    REQUIRE(s.open_dashboards().size() == 1);

    // A run where nothing changed costs one request and writes nothing.
    CHECK(s.step({"--report", "quiet.json"}) == 0);
    CHECK(s.github.requests().size() == 1);
    CHECK(s.github.count_requests("GET", "list_issues") == 1);
    CHECK(s.report("quiet.json")["api_requests"] == 1);
    CHECK(s.report("quiet.json")["actions"].empty());

    // --dry-run: the plan is printed, nothing is written.
    s.service.health = 503;
    CHECK(s.step({"--dry-run"}) == 1);
    CHECK(s.last.out.find("\nwould open a new issue API health is failing: status 503 not in [200]\n") !=
          std::string::npos);
    CHECK(s.github.count_requests("POST") == 0);
    CHECK(s.github.count_requests("PATCH") == 0);
    CHECK(s.github.count_requests("PUT") == 0);
    CHECK(s.github.count_requests("DELETE") == 0);
    CHECK(s.incidents("api-health", "").empty());

    // Open: exactly one labeled issue with the marker, and a report with the fixed fields.
    CHECK(s.step({"--report", "open.json"}) == 1);
    const auto opened = s.incidents("api-health");
    REQUIRE(opened.size() == 1);
    const int number = opened[0].number;
    CHECK(opened[0].title == "API health is failing");
    CHECK(opened[0].labels == std::vector<std::string>{"probewatch"});
    CHECK(opened[0].body->find("<!-- probewatch:v1 ") != std::string::npos);
    CHECK(opened[0].body->find(R"("check":"api-health")") != std::string::npos);
    CHECK(s.github.count_requests("POST", "create_issue") == 1);
    {
      const json report = s.report("open.json");
      CHECK(report["version"] == 1);
      REQUIRE(report["checks"].is_array());
      CHECK(report["checks"].size() == 2);
      const json* api = find_check(report, "api-health");
      REQUIRE(api != nullptr);
      CHECK((*api)["name"] == "API health");
      CHECK((*api)["url"] == s.service.endpoint.url("/health"));
      CHECK((*api)["ok"] == false);
      CHECK((*api)["attempts"] == 1);
      CHECK((*api)["status"] == 503);
      CHECK((*api)["response_time_ms"].is_number_integer());
      CHECK((*api)["response_time_ms"].get<long>() >= 0);
      CHECK((*api)["response_time_ms"].get<long>() < 2000);
      CHECK((*api)["error"].is_null());
      CHECK((*api)["failed_expectations"] == json::array({"status 503 not in [200]"}));
      const json* web = find_check(report, "web");
      REQUIRE(web != nullptr);
      CHECK((*web)["ok"] == true);
      CHECK((*web)["status"] == 200);
      CHECK((*web)["error"].is_null());
      CHECK((*web)["failed_expectations"] == json::array());
      REQUIRE(report["actions"].is_array());
      const json create = {{"kind", "create"}, {"check", "api-health"}, {"issue", number}, {"url", issue_url(number)}};
      bool found = false;
      for (const json& action : report["actions"]) {
        found = found || (action["kind"] == create["kind"] && action["check"] == create["check"] &&
                          action["issue"] == create["issue"] && action["url"] == create["url"]);
      }
      CHECK_MESSAGE(found, report["actions"].dump());
      CHECK(report["api_requests"] == s.github.requests().size());
    }

    // Still failing the same way: one request, nothing written, nobody pinged.
    const std::string first_body = *s.issue(number).body;
    CHECK(s.step() == 1);
    CHECK(s.github.requests().size() == 1);
    CHECK(*s.issue(number).body == first_body);
    CHECK(s.comments(number).empty());
    CHECK(s.incidents("api-health").size() == 1);

    // Recovered: closed as completed, with a note.
    s.service.health = 200;
    CHECK(s.step() == 0);
    CHECK(s.issue(number).state == "closed");
    CHECK(s.issue(number).state_reason == "completed");
    REQUIRE(s.comments(number).size() == 1);
    CHECK(s.comments(number).back().body.starts_with("**Recovered after "));
    CHECK(s.incidents("api-health").empty());

    // Failing again within the reopen window: the same issue comes back.
    s.service.health = 503;
    CHECK(s.step({"--report", "reopen.json"}) == 1);
    CHECK(s.issue(number).state == "open");
    CHECK(s.issue(number).state_reason == "reopened");
    REQUIRE(s.incidents("api-health").size() == 1);
    CHECK(s.incidents("api-health")[0].number == number);
    CHECK(s.github.count_requests("POST", "create_issue") == 0);
    REQUIRE(s.comments(number).size() == 2);
    CHECK(s.comments(number).back().body.starts_with("**Failing again**"));
    CHECK(s.report("reopen.json")["actions"][0]["kind"] == "reopen");

    // A second check fails, then is removed from the config: its incident closes as not planned.
    s.service.web = 502;
    CHECK(s.step() == 1);
    const auto web = s.incidents("web");
    REQUIRE(web.size() == 1);
    s.write_file("probewatch.yml", config_for(s.service, false));
    CHECK(s.step({"--report", "removed.json"}) == 1);
    CHECK(s.issue(web[0].number).state == "closed");
    CHECK(s.issue(web[0].number).state_reason == "not_planned");
    REQUIRE(s.comments(web[0].number).size() == 1);
    CHECK(s.comments(web[0].number)[0].body.find("was removed from the configuration") != std::string::npos);
    CHECK(s.issue(number).state == "open");  // the other incident is unaffected

    // Exactly one incident per check, and one dashboard, after all of it.
    CHECK(s.incidents("api-health").size() == 1);
    CHECK(s.incidents("web").empty());
    CHECK(s.open_dashboards().size() == 1);
  }

  SUBCASE("exit codes: 0 passing, 1 failing, 2 usage or config, 3 tracker refused") {
    CHECK(s.step() == 0);
    s.service.health = 503;
    CHECK(s.step() == 1);
    CHECK(s.step({"--fail-on", "never"}) == 0);

    s.write_file("bad.yml", "checks:\n  - name: API\n    url: http://127.0.0.1:1/\n    timeuot: 2s\n");
    s.github.clear_requests();
    {
      const ProcessResult bad = s.run({"run", "--config", "bad.yml"});
      INFO(bad.err);
      CHECK(bad.exit_code == 2);
      CHECK(bad.err.find("bad.yml:4:5: unknown key \"timeuot\"") != std::string::npos);
      CHECK(s.github.requests().empty());
    }
    CHECK(s.run({"run", "--config", "missing.yml"}).exit_code == 2);

    // A network-level failure fills the report's error and leaves status null (check: probe only).
    {
      const pw::test::RefusedPort refused;
      s.write_file("refused.yml", fmt::format("defaults: {{ timeout: 2s, retries: 0 }}\nchecks:\n  - id: gone\n"
                                              "    url: http://127.0.0.1:{}/health\n",
                                              refused.port()));
      s.github.clear_requests();
      const ProcessResult check = s.run({"check", "--config", "refused.yml", "--report", "check.json"});
      INFO(check.out << check.err);
      CHECK(check.exit_code == 1);
      CHECK(s.github.requests().empty());
      const json report = s.report("check.json");
      REQUIRE(report["checks"].size() == 1);
      const json& gone = report["checks"][0];
      CHECK(gone["id"] == "gone");
      CHECK(gone["name"] == "gone");
      CHECK(gone["ok"] == false);
      CHECK(gone["attempts"] == 1);
      CHECK(gone["status"].is_null());
      CHECK(gone["error"].is_string());
      CHECK(gone["error"].get<std::string>().find("refused") != std::string::npos);
      CHECK(gone["failed_expectations"] == json::array());
      CHECK(report["actions"] == json::array());
    }
    CHECK(s.run({"run", "--no-such-flag"}).exit_code == 2);

    for (const auto fault : {pw::test::FaultKind::unauthorized, pw::test::FaultKind::forbidden}) {
      CAPTURE(pw::test::fault_name(fault));
      s.github.clear_faults();
      pw::test::FaultRule rule;
      rule.fault = fault;
      rule.operation = "list_issues";
      rule.times = 0;
      s.github.inject(rule);
      CHECK(s.step({"--report", "refused.json"}) == 3);
      CHECK_FALSE(s.last.err.empty());
      CHECK(s.report("refused.json")["version"] == 1);
      CHECK(s.github.count_requests("POST") == 0);
      CHECK(s.github.count_requests("PATCH") == 0);
    }
    s.github.clear_faults();

    // A token GitHub does not know is refused the same way, and is never printed.
    const ProcessResult wrong = s.run({"run", "--config", "probewatch.yml"}, {{"GITHUB_TOKEN", "ghp_wrongTOKEN42"}});
    CHECK(wrong.exit_code == 3);
    CHECK(wrong.out.find("ghp_wrongTOKEN42") == std::string::npos);
    CHECK(wrong.err.find("ghp_wrongTOKEN42") == std::string::npos);
  }

  // Whatever happened above, the person's issue and the pull request are as they were.
  const auto person = s.issue(theirs);
  CHECK(person.state == "open");
  CHECK(person.body == std::optional<std::string>("It is down for me"));
  CHECK(person.title == "API health is failing");
  CHECK(s.comments(theirs).empty());
  const auto pr = s.issue(pull);
  CHECK(pr.pull_request);
  CHECK(pr.state == "open");
  CHECK(pr.body == std::optional<std::string>(pull_body));
  CHECK(s.comments(pull).empty());
}

TEST_CASE("lifecycle binary: two runs started at the same moment leave one incident") {
  constexpr int k_rounds = 5;
  int raced = 0;
  for (int round = 1; round <= k_rounds; ++round) {
    CAPTURE(round);
    Service service;
    service.health = 503;
    service.barrier = 2;
    BinarySandbox s(k_binaries);
    s.write_file("probewatch.yml", config_for(service, false));

    pw::test::Process first(s.spec({"run", "--config", "probewatch.yml"}));
    pw::test::Process second(s.spec({"run", "--config", "probewatch.yml"}));
    const ProcessResult a = first.wait();
    const ProcessResult b = second.wait();
    INFO("first:\n" << a.out << a.err << "\nsecond:\n" << b.out << b.err);
    CHECK(a.exit_code == 1);
    CHECK(b.exit_code == 1);

    const auto open = s.incidents("api-health");
    REQUIRE(open.size() == 1);
    const int kept = open[0].number;
    const auto all = s.incidents("api-health", "");
    CHECK(all.size() <= 2);
    for (const FakeIssue& issue : all) {
      if (issue.number == kept) {
        continue;
      }
      // The race filed twice: the later one is closed as a duplicate that links the kept one.
      ++raced;
      CHECK(issue.number > kept);
      CHECK(issue.state == "closed");
      CHECK(issue.state_reason == "duplicate");
      const auto comments = s.comments(issue.number);
      REQUIRE_FALSE(comments.empty());
      for (const auto& comment : comments) {
        CHECK(comment.body.starts_with(fmt::format("Duplicate of #{}", kept)));
      }
    }
    CHECK(s.comments(kept).empty());

    // The next run settles everything: still one incident, one dashboard, nothing new filed.
    service.barrier = 0;
    s.github.clear_requests();
    const ProcessResult next = s.run({"run", "--config", "probewatch.yml"});
    INFO(next.out << next.err);
    CHECK(next.exit_code == 1);
    REQUIRE(s.incidents("api-health").size() == 1);
    CHECK(s.incidents("api-health")[0].number == kept);
    CHECK(s.open_dashboards().size() == 1);
    CHECK(s.github.count_requests("POST", "create_issue") == 0);
  }
  MESSAGE("two concurrent runs filed a duplicate in " << raced << " of " << k_rounds << " rounds");
}
