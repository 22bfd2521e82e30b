// Deploy-aware syncs over the GitHub tracker and the in-memory fake GitHub: a deploying check opens
// nothing, and a recovery note names the deploy that was live, at most one request per commit.
#include <bot/config/load.hpp>
#include <bot/incidents/sync.hpp>
#include <bot/tracker/github_tracker.hpp>

#include <github_client/iso8601.hpp>
#include <support/fake_github/harness.hpp>

#include <doctest/doctest.h>
#include <fmt/format.h>

using namespace std::chrono_literals;
using pw::test::FakeGitHubHarness;

namespace {

const std::string k_sync_sha = "3f2a9c1d4e5b6a7980112233445566778899aabb";

struct DeployHarness {
  FakeGitHubHarness h;
  pw::GitHubTracker tracker{h.client, std::string(FakeGitHubHarness::k_repo)};
  pw::Config config;
  pw::TemplateSet templates = pw::TemplateSet::defaults();
  std::map<std::string, pw::CheckResult> results;
  std::optional<pw::Deployment> deployment;
  pw::Pauses deploying;

  DeployHarness() {
    auto loaded = pw::load_config(
        "checks:\n  - { id: api, name: API, url: 'http://a/', version: /version, deploy_grace: 5m }\n"
        "  - { id: web, name: Web, url: 'http://b/', version: /version }\n",
        "t.yml", {});
    REQUIRE_MESSAGE(loaded.has_value(), loaded.error().message);
    config = std::move(*loaded);
    set("api", true, "1111111");
    set("web", true, "1111111");
  }

  void set(const std::string& id, bool ok, const std::string& served) {
    pw::CheckResult result;
    result.id = id;
    result.ok = ok;
    result.attempts = 1;
    result.evidence.status = ok ? 200 : 503;
    result.served_version = served;
    if (!ok) {
      result.failed.push_back({"status:503", "status 503 not in [200-399]"});
    }
    results[id] = result;
  }

  pw::SyncResult run(pw::Millis later = 5min) {
    h.clock.advance(later);
    pw::SyncRequest request;
    for (const auto& check : config.checks) {
      request.checks.push_back(&check);
    }
    request.results = &results;
    request.issues = &config.issues;
    request.policy = pw::reconcile_policy(config.issues);
    request.policy.config = "t.yml";
    request.deploying = &deploying;
    request.deployment = deployment ? &*deployment : nullptr;
    pw::RunInfo info;
    info.repository = std::string(FakeGitHubHarness::k_repo);
    info.now = h.clock.now();
    pw::IssueWriter writer(templates, config.secrets, info);
    pw::SyncResult result = pw::sync_incidents(tracker, writer, request, h.clock);
    CHECK(result.errors.empty());
    return result;
  }

  int open_incident(const std::string& id) {
    set(id, false, "1111111");
    const pw::SyncResult opened = run();
    REQUIRE(opened.incidents.count(id) == 1);
    return opened.incidents.at(id);
  }

  std::string last_comment(int number) {
    const auto comments = h.github.comments(FakeGitHubHarness::k_repo, number);
    REQUIRE_FALSE(comments.empty());
    return comments.back().body;
  }
};

}  // namespace

TEST_CASE("deploy sync: a failing check in its deploy's grace opens no incident; after the grace it does") {
  DeployHarness d;
  d.run();
  d.set("api", false, "1111111");
  d.deploying["api"] = pw::Pause{"3f2a9c1 to production", d.h.clock.now() + 5min, 0, true};
  pw::SyncResult held = d.run();
  CHECK(held.actions.empty());
  CHECK(held.incidents.empty());
  REQUIRE(held.paused.count("api") == 1);
  CHECK(held.paused.at("api").deploy);
  const auto issues = d.h.github.issues(FakeGitHubHarness::k_repo);
  const bool shown = std::any_of(issues.begin(), issues.end(), [](const pw::test::FakeIssue& issue) {
    const std::string body = issue.body.value_or("");
    return body.find("0 failing · 0 pending · 0 muted · 1 passing · 🚀 1 deploying\n") != std::string::npos &&
           body.find("| 🚀 | API | deploying (3f2a9c1 to production, grace until ") != std::string::npos;
  });
  CHECK(shown);

  d.deploying.clear();  // the grace is over: the same failure now opens the incident
  pw::SyncResult opened = d.run();
  REQUIRE(opened.actions.size() == 1);
  CHECK(opened.actions[0].kind == pw::ActionKind::create);
}

TEST_CASE("deploy sync: the recovery note names the deployment, its commit and its pull request") {
  DeployHarness d;
  d.run();
  const int number = d.open_incident("api");
  const int pull = d.h.github.add_pull_request(FakeGitHubHarness::k_repo, {.title = "Fix the health check"});
  d.h.github.add_commit(FakeGitHubHarness::k_repo, k_sync_sha, {pull});
  pw::Deployment deployment;
  deployment.state = "success";
  deployment.environment = "production";
  deployment.sha = k_sync_sha;
  deployment.ref = "main";
  d.deployment = deployment;
  d.set("api", true, "3f2a9c1");
  d.h.github.clear_requests();
  const pw::SyncResult recovered = d.run();
  REQUIRE(recovered.actions.size() == 1);
  CHECK(recovered.actions[0].kind == pw::ActionKind::close);
  CHECK(d.h.github.count_requests("GET", "list_pulls_for_commit") == 1);
  CHECK(d.last_comment(number).find(fmt::format(
            "**Live when it recovered:** version `3f2a9c1`, commit "
            "[3f2a9c1](https://github.com/octo-org/app/commit/{}) from pull request #{} (Fix the health check), "
            "deployed to production.",
            k_sync_sha, pull)) != std::string::npos);
}

TEST_CASE("deploy sync: two recoveries on one commit cost one lookup; GitHub refusing it names the commit only") {
  DeployHarness d;
  d.run();
  const int api = d.open_incident("api");
  const int web = d.open_incident("web");
  d.set("api", true, "3F2A9C1D");
  d.set("web", true, "3f2a9c1d");

  SUBCASE("a commit GitHub knows: one request for both") {
    const int pull = d.h.github.add_pull_request(FakeGitHubHarness::k_repo, {.title = "Fix"});
    d.h.github.add_commit(FakeGitHubHarness::k_repo, k_sync_sha, {pull});
    d.h.github.clear_requests();
    const pw::SyncResult recovered = d.run();
    CHECK(recovered.warnings.empty());
    CHECK(d.h.github.count_requests("GET", "list_pulls_for_commit") == 1);
    CHECK(d.last_comment(api).find(fmt::format("from pull request #{} (Fix)", pull)) != std::string::npos);
    CHECK(d.last_comment(web).find(fmt::format("from pull request #{} (Fix)", pull)) != std::string::npos);
  }
  SUBCASE("403: the served commit is named, without a pull request or a warning") {
    d.h.github.inject({.fault = pw::test::FaultKind::forbidden, .operation = "list_pulls_for_commit", .times = 0});
    const pw::SyncResult recovered = d.run();
    CHECK(recovered.warnings.empty());
    CHECK(d.last_comment(api).find("**Live when it recovered:** version `3F2A9C1D`, commit [3f2a9c1](") !=
          std::string::npos);
    CHECK(d.last_comment(api).find("pull request") == std::string::npos);
  }
  SUBCASE("422, GitHub does not know the commit: the served version only, since it was no commit of ours") {
    d.h.github.clear_requests();
    const pw::SyncResult recovered = d.run();
    CHECK(recovered.warnings.empty());
    CHECK(d.h.github.count_requests("GET", "list_pulls_for_commit") == 1);
    CHECK(d.last_comment(web).find("**Live when it recovered:** version `3f2a9c1d`.") != std::string::npos);
  }
  SUBCASE("a server error: the commit only, and a warning that says so") {
    d.h.github.inject({.fault = pw::test::FaultKind::http_500, .operation = "list_pulls_for_commit", .times = 0});
    const pw::SyncResult recovered = d.run();
    REQUIRE(recovered.warnings.size() == 1);
    CHECK(recovered.warnings[0].starts_with(
        "could not look up the pull request of commit 3f2a9c1 in octo-org/app on GitHub: "));
    CHECK(recovered.warnings[0].ends_with("; the recovery note names the commit only"));
    CHECK(d.last_comment(api).find("commit [3f2a9c1](") != std::string::npos);
  }
}

TEST_CASE("deploy sync: the dashboard remembers the deployment, so a later run keeps its grace and names it") {
  DeployHarness d;
  d.run();
  pw::Deployment deployment;
  deployment.state = "success";
  deployment.environment = "production";
  deployment.sha = k_sync_sha;
  deployment.ref = "v1.4.2";
  deployment.created_at = d.h.clock.now();
  d.deployment = deployment;
  d.run(1min);  // the deployment run: its deployment goes into the dashboard's memory
  d.deployment.reset();
  const auto dashboards = d.h.github.issues(FakeGitHubHarness::k_repo);
  const bool remembered = std::any_of(dashboards.begin(), dashboards.end(), [](const pw::test::FakeIssue& issue) {
    return issue.body.value_or("").find(R"("deploy":{"at":")") != std::string::npos;
  });
  CHECK(remembered);

  SUBCASE("a scheduled run within the grace: the failing check is deploying; after it, it opens") {
    d.set("api", false, "1111111");
    const pw::SyncResult held = d.run(1min);
    CHECK(held.actions.empty());
    REQUIRE(held.paused.count("api") == 1);
    CHECK(held.paused.at("api").deploy);
    CHECK(held.paused.at("api").until == deployment.created_at + 5min);
    const pw::SyncResult opened = d.run(5min);
    REQUIRE(opened.actions.size() == 1);
    CHECK(opened.actions[0].kind == pw::ActionKind::create);
  }
  SUBCASE("a scheduled run names the remembered deployment when the served version is its ref") {
    const int number = d.open_incident("web");
    const int pull = d.h.github.add_pull_request(FakeGitHubHarness::k_repo, {.title = "Release v1.4.2"});
    d.h.github.add_commit(FakeGitHubHarness::k_repo, k_sync_sha, {pull});
    d.set("web", true, "v1.4.2");
    d.run();
    CHECK(d.last_comment(number).find(fmt::format("**Live when it recovered:** version `v1.4.2`, commit "
                                                  "[3f2a9c1](https://github.com/octo-org/app/commit/{}) from pull "
                                                  "request #{} (Release v1.4.2), deployed to production.",
                                                  k_sync_sha, pull)) != std::string::npos);
  }
}
