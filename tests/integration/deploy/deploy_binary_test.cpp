// integration.deploy_binary: deploy-aware runs through the real executable, its real clock and an
// event file as GitHub writes it for deployment_status, against a fake GitHub on loopback and a
// local service whose /version rolls over to the deployed commit.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <support/e2e/binary_sandbox.hpp>
#include <support/e2e/http_endpoint.hpp>

#include <github_client/iso8601.hpp>

#include <doctest/doctest.h>
#include <fmt/format.h>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include <atomic>

using namespace std::chrono_literals;
using nlohmann::json;
using pw::test::BinarySandbox;

namespace {

const pw::test::BinaryPaths k_binaries{PROBEWATCH_BINARY, RUSAGE_EXEC_BINARY};
const std::string k_sha = "3f2a9c1d4e5b6a7980112233445566778899aabb";

std::string iso(github::TimePoint time) {
  return github::format_iso8601(std::chrono::floor<std::chrono::seconds>(time));
}

// A service that serves the old build's version for the first `old_answers` requests, then the
// deployed commit; or 503 while `down`.
struct Service {
  std::atomic<int> requests{0};
  std::atomic<int> old_answers{0};
  std::atomic<bool> down{false};
  pw::test::HttpEndpoint endpoint{[this](const httplib::Request&, httplib::Response& response) {
    const int seen = requests++;
    if (down) {
      response.status = 503;
      response.set_content("upstream connect error", "text/plain");
      return;
    }
    const std::string version = seen < old_answers ? "9d8e7f6" : k_sha.substr(0, 7);
    response.set_content(json{{"status", "ok"}, {"version", version}}.dump(), "application/json");
  }};
};

struct Deploy : BinarySandbox {
  Service service;

  Deploy() : BinarySandbox(k_binaries) {
    // The check probes the deployment's environment_url, as the event tells it.
    write_file("probewatch.yml",
               "defaults: { timeout: 5s, retries: 0, deploy_grace: 10m }\n"
               "checks:\n"
               "  - id: app\n"
               "    name: Deployed app\n"
               "    url: ${PROBEWATCH_DEPLOY_URL}/version\n"
               "    version: /version\n"
               "    wait_for: { timeout: 20s, interval: 1s }\n");
  }

  void event(const std::string& state, github::TimePoint created, const std::string& sha = k_sha) {
    const json value = {{"action", "created"},
                        {"deployment_status",
                         {{"id", 7},
                          {"state", state},
                          {"environment", "production"},
                          {"environment_url", service.endpoint.url("/")},
                          {"log_url", "https://railway.example.test/logs/7"},
                          {"target_url", "https://railway.example.test/logs/7"},
                          {"created_at", iso(created + 30s)},
                          {"updated_at", iso(created + 30s)}}},
                        {"deployment",
                         {{"id", 42},
                          {"sha", sha},
                          {"ref", "main"},
                          {"task", "deploy"},
                          {"environment", "production"},
                          {"created_at", iso(created)}}},
                        {"repository", {{"full_name", BinarySandbox::k_repo}}}};
    write_file("event.json", value.dump(2));
  }

  pw::test::ProcessResult step(int expected_exit) {
    github.clear_requests();
    const pw::test::ProcessResult result =
        run({"run", "--config", "probewatch.yml", "--report", "report.json"},
            {{"GITHUB_EVENT_NAME", "deployment_status"}, {"GITHUB_EVENT_PATH", path("event.json").string()}});
    INFO("stdout:\n" << result.out << "\nstderr:\n" << result.err);
    CHECK_FALSE(result.timed_out);
    CHECK(result.exit_code == expected_exit);
    return result;
  }

  json report() const {
    const json value = json::parse(read_file("report.json"), nullptr, false);
    REQUIRE(value.is_object());
    return value;
  }
};

}  // namespace

TEST_CASE("deploy: the run waits until the deployment's environment_url serves the deployed commit") {
  Deploy d;
  d.service.old_answers = 2;  // the first probe and one poll still see the old build
  d.event("success", std::chrono::system_clock::now() - 1min);
  const pw::test::ProcessResult result = d.step(0);
  CHECK(result.out.starts_with("deployment 3f2a9c1 (main) to production: success at "));
  CHECK(result.out.find("; 1 check with version: must serve it\n") != std::string::npos);
  CHECK(result.out.find("Deployed app: the rollout took ") != std::string::npos);
  CHECK(result.out.find(" polls), 1m") != std::string::npos);  // the deployment began a minute before the run
  CHECK(result.out.find(" after the deployment began\n") != std::string::npos);
  const json report = d.report();
  REQUIRE(report.at("checks").size() == 1);
  const json& check = report["checks"][0];
  CHECK(check.at("ok") == true);
  CHECK(check.at("url") == d.service.endpoint.url("/version"));  // ${PROBEWATCH_DEPLOY_URL} is public
  CHECK(check.at("served_version") == "3f2a9c1");
  CHECK(check.at("wait").at("passed") == true);
  CHECK(check["wait"].at("polls") == 2);
  CHECK(report.at("deployment").at("sha") == k_sha);
  CHECK(report["deployment"].at("state") == "success");
  CHECK(report["deployment"].at("environment") == "production");
  CHECK(report.at("deploying").empty());
  CHECK(d.incidents("app").empty());
}

TEST_CASE("deploy: a failure within the grace is deploying and opens nothing; one that outlives it opens") {
  Deploy d;
  d.service.down = true;
  d.write_file("probewatch.yml",
               "defaults: { timeout: 5s, retries: 0, deploy_grace: 10m }\n"
               "checks:\n  - { id: app, name: Deployed app, url: '${PROBEWATCH_DEPLOY_URL}/version', version: "
               "/version }\n");
  const auto now = std::chrono::system_clock::now();
  d.event("in_progress", now - 1min);
  pw::test::ProcessResult result = d.step(1);  // the run still says a check fails
  CHECK(result.out.find("deploying  Deployed app") != std::string::npos);
  CHECK(result.out.find("deploying (a failure within the deploy's grace opens no incident and sends no reminder):\n"
                        "  app  3f2a9c1 (main) to production, grace until ") != std::string::npos);
  json report = d.report();
  CHECK(report.at("actions").empty());
  REQUIRE(report.at("deploying").size() == 1);
  CHECK(report["deploying"][0].at("check") == "app");
  CHECK(report["deploying"][0].at("by") == "3f2a9c1 (main) to production");
  CHECK(report["deploying"][0].at("until") == iso(now - 1min + 10min));
  CHECK(report.at("maintenance").empty());
  CHECK(d.incidents("app").empty());
  const auto dashboards = d.open_dashboards();
  REQUIRE(dashboards.size() == 1);
  INFO(dashboards[0].body.value_or(""));
  CHECK(dashboards[0].body.value_or("").find(
            "| 🚀 | Deployed app | deploying (3f2a9c1 \\(main\\) to production, grace until ") != std::string::npos);

  // A scheduled run (no event; the address set by hand) within the grace: the dashboard remembers
  // the deployment, so the check is still deploying rather than down.
  d.github.clear_requests();
  result = d.run({"run", "--config", "probewatch.yml", "--report", "report.json"},
                 {{"PROBEWATCH_DEPLOY_URL", d.service.endpoint.url("")}});
  CHECK(result.exit_code == 1);
  report = d.report();
  CHECK(report.find("deployment") == report.end());
  REQUIRE(report.at("deploying").size() == 1);
  CHECK(report["deploying"][0].at("until") == iso(now - 1min + 10min));
  CHECK(report.at("actions").empty());
  CHECK(d.incidents("app").empty());

  d.event("success", now - 11min);  // the grace has ended and the check still fails
  result = d.step(1);
  report = d.report();
  CHECK(report.at("deploying").empty());
  REQUIRE(report.at("actions").size() == 1);
  CHECK(report["actions"][0].at("kind") == "create");
  CHECK(d.incidents("app").size() == 1);

  d.event("failure", now - 30s);  // a failed deployment grants no grace either
  result = d.step(1);
  CHECK(result.out.find("it is not rolling out, so no check waits for it and failures count as usual") !=
        std::string::npos);
  CHECK(d.report().at("deploying").empty());
}

TEST_CASE("deploy: the recovery note names the deploy that was live and the pull request it came from") {
  Deploy d;
  d.service.down = true;
  d.event("success", std::chrono::system_clock::now() - 1h);
  d.write_file("probewatch.yml",
               "defaults: { timeout: 5s, retries: 0 }\n"
               "checks:\n  - { id: app, name: Deployed app, url: '${PROBEWATCH_DEPLOY_URL}/version', version: "
               "/version }\n");
  d.step(1);
  const auto open = d.incidents("app");
  REQUIRE(open.size() == 1);
  const int pull = d.github.add_pull_request(BinarySandbox::k_repo, {.title = "Fix the connection pool"});
  d.github.add_commit(BinarySandbox::k_repo, k_sha, {pull});

  d.service.down = false;
  d.step(0);
  CHECK(d.github.count_requests("GET", "list_pulls_for_commit") == 1);
  CHECK(d.incidents("app").empty());
  const auto comments = d.comments(open[0].number);
  REQUIRE_FALSE(comments.empty());
  CHECK(comments.back().body.find(fmt::format(
            "**Live when it recovered:** version `3f2a9c1`, commit [3f2a9c1]({}/{}/commit/{}) from pull request #{} "
            "(Fix the connection pool), deployed to production.",
            BinarySandbox::k_web_url, BinarySandbox::k_repo, k_sha, pull)) != std::string::npos);
}

TEST_CASE("deploy: a malformed event file stops the run before anything is probed or filed") {
  Deploy d;
  d.write_file("event.json", R"({"deployment_status": {"state": "success"}, "deployment": {"sha": "HEAD"}})");
  const pw::test::ProcessResult result = d.step(2);
  CHECK(result.err == fmt::format("probewatch: {}: \"deployment.sha\" must be a commit SHA of 40 (or 64) hex digits, "
                                  "not \"HEAD\"\n",
                                  d.path("event.json").string()));
  CHECK(d.service.requests == 0);
  CHECK(d.github.requests().empty());
}
