#include <bot/config/load.hpp>
#include <bot/expect/expectations.hpp>
#include <bot/model/deploy.hpp>
#include <bot/render/issue_writer.hpp>

#include <github_client/iso8601.hpp>

#include <doctest/doctest.h>

using namespace std::chrono_literals;

namespace {

const std::string k_model_sha = "3f2a9c1d4e5b6a7980112233445566778899aabb";

pw::Deployment deploy_at(const std::string& state = "success") {
  pw::Deployment d;
  d.id = 42;
  d.state = state;
  d.environment = "production";
  d.sha = k_model_sha;
  d.ref = "v1.4.2";
  d.created_at = *github::parse_iso8601("2026-12-02T05:00:00Z");
  d.status_at = d.created_at + 2min;
  return d;
}

pw::Config deploy_config(const std::string& yaml) {
  auto loaded = pw::load_config(yaml, "t.yml", {});
  REQUIRE_MESSAGE(loaded.has_value(), loaded.error().message);
  return std::move(*loaded);
}

pw::CheckResult deploy_result(const std::string& id, bool ok, std::string served = "") {
  pw::CheckResult r;
  r.id = id;
  r.ok = ok;
  r.attempts = 1;
  r.evidence.status = ok ? 200 : 503;
  r.served_version = std::move(served);
  return r;
}

pw::Evidence json_body(const std::string& text) {
  pw::Evidence evidence;
  evidence.status = 200;
  evidence.body = text;
  return evidence;
}

}  // namespace

TEST_CASE("deploy: version: and deploy_grace: are read from a check and from defaults") {
  const pw::Config c = deploy_config(
      "defaults: { deploy_grace: 5m, version: /build/sha }\n"
      "checks:\n  - { id: api, url: 'http://a/' }\n  - { id: web, url: 'http://b/', version: header X-App-Version, "
      "deploy_grace: 0s }\n");
  REQUIRE(c.checks[0].version.has_value());
  CHECK(c.checks[0].version->text == "/build/sha");
  CHECK(c.checks[0].version->tokens == std::vector<std::string>{"build", "sha"});
  CHECK(c.checks[0].deploy_grace == pw::Millis(5 * 60 * 1000));
  CHECK(c.checks[1].version->header == "x-app-version");
  CHECK(c.checks[1].deploy_grace == pw::Millis(0));

  auto bad = pw::load_config("checks:\n  - { id: a, url: 'http://a/', version: build.sha }\n", "t.yml", {});
  REQUIRE_FALSE(bad.has_value());
  CHECK(bad.error().message ==
        "t.yml:2:41: \"version\" must be a JSON Pointer into the body (/version) or header NAME "
        "(header x-app-version), not \"build.sha\"");
  bad = pw::load_config("checks:\n  - { id: a, url: 'http://a/', version: 'header x:y' }\n", "t.yml", {});
  REQUIRE_FALSE(bad.has_value());
  CHECK(bad.error().message ==
        "t.yml:2:41: \"version\": \"header x:y\" is not a header name; write header NAME, as in header x-app-version");
}

TEST_CASE("deploy: a served version matches the full commit, a short SHA or the ref") {
  const pw::ExpectedDeploy deploy{{}, k_model_sha, "v1.4.2"};
  CHECK(pw::version_matches(k_model_sha, deploy));
  CHECK(pw::version_matches("3F2A9C1", deploy));
  CHECK(pw::version_matches(" 3f2a9c1d ", deploy));
  CHECK(pw::version_matches("v1.4.2", deploy));
  CHECK_FALSE(pw::version_matches("3f2a9c", deploy));   // 6 digits say too little
  CHECK_FALSE(pw::version_matches("3f2a9c2", deploy));  // another commit
  CHECK_FALSE(pw::version_matches("v1.4.1", deploy));
  CHECK_FALSE(pw::version_matches("", deploy));
  CHECK_FALSE(pw::version_matches(k_model_sha + "00", deploy));
}

TEST_CASE("deploy: the grace covers failing checks while the deploy is young and rolling out") {
  pw::Config c = deploy_config(
      "checks:\n  - { id: api, url: 'http://a/', deploy_grace: 5m }\n  - { id: web, url: 'http://b/', deploy_grace: "
      "5m }\n  - { id: db, url: 'http://c/' }\n");
  const std::vector<pw::CheckResult> results{deploy_result("api", false), deploy_result("web", true),
                                             deploy_result("db", false)};
  const pw::Deployment d = deploy_at();

  SUBCASE("within the grace: only the failing check that has one is deploying") {
    const pw::Pauses deploying = pw::deploying_checks(c.checks, results, d, d.created_at + 4min);
    REQUIRE(deploying.size() == 1);
    const pw::Pause& pause = deploying.at("api");
    CHECK(pause.deploy);
    CHECK(pause.by == "3f2a9c1 (v1.4.2) to production");
    CHECK(pause.until == d.created_at + 5min);
    CHECK(pause.issue == 0);
  }
  SUBCASE("the grace ends: a failure that outlives it counts as any other") {
    CHECK(pw::deploying_checks(c.checks, results, d, d.created_at + 5min).empty());
    CHECK(pw::deploying_checks(c.checks, results, d, d.created_at + 1h).empty());
  }
  SUBCASE("a failed, errored or inactive deployment grants no grace") {
    for (const char* state : {"failure", "error", "inactive"}) {
      CAPTURE(state);
      CHECK(pw::deploying_checks(c.checks, results, deploy_at(state), d.created_at + 1min).empty());
      CHECK_FALSE(pw::grace_end(deploy_at(state), pw::Millis(300000)).has_value());
    }
    for (const char* state : {"pending", "queued", "in_progress", "success"}) {
      CAPTURE(state);
      CHECK(pw::grace_end(deploy_at(state), pw::Millis(300000)) == d.created_at + 5min);
    }
  }
  SUBCASE("no grace configured, or a zero one: none") {
    CHECK_FALSE(pw::grace_end(d, std::nullopt).has_value());
    CHECK_FALSE(pw::grace_end(d, pw::Millis(0)).has_value());
  }
}

TEST_CASE("deploy: a rolling-out deployment makes the checks with version: judge the served version") {
  pw::Config c = deploy_config(
      "checks:\n  - { id: api, url: 'http://a/', version: /version }\n  - { id: web, url: 'http://b/' }\n");
  CHECK(pw::expect_deployment(c.checks, deploy_at("failure")) == 0);
  CHECK_FALSE(c.checks[0].expect.deploy.has_value());
  CHECK(pw::expect_deployment(c.checks, deploy_at()) == 1);
  REQUIRE(c.checks[0].expect.deploy.has_value());
  CHECK_FALSE(c.checks[1].expect.deploy.has_value());
  const pw::Expect& expect = c.checks[0].expect;
  const pw::TimePoint now{};

  CHECK(pw::judge(expect, json_body(R"({"version":"3f2a9c1"})"), now).empty());
  CHECK(pw::judge(expect, json_body(R"({"version":"v1.4.2"})"), now).empty());
  auto stale = pw::judge(expect, json_body(R"({"version":"9d8e7f6"})"), now);
  REQUIRE(stale.size() == 1);
  CHECK(stale[0].key == "version");
  CHECK(stale[0].message == "version at /version is \"9d8e7f6\", expected the deployed 3f2a9c1 or v1.4.2");
  auto missing = pw::judge(expect, json_body(R"({"status":"ok"})"), now);
  REQUIRE(missing.size() == 1);
  CHECK(missing[0].message == "no version at /version, expected the deployed 3f2a9c1 or v1.4.2");
  CHECK(pw::judge(expect, json_body("<html>old build</html>"), now)[0].message ==
        "no version at /version, expected the deployed 3f2a9c1 or v1.4.2");
}

TEST_CASE("deploy: the served version is read from the body or a header, printable and bounded") {
  pw::VersionSource pointer{"/build/sha", {"build", "sha"}, ""};
  CHECK(pw::served_version(pointer, json_body(R"({"build":{"sha":" abc1234 "}})")) == "abc1234");
  CHECK(pw::served_version(pointer, json_body(R"({"build":{"sha":142}})")) == "142");
  CHECK_FALSE(pw::served_version(pointer, json_body(R"({"build":{"sha":null}})")).has_value());
  CHECK_FALSE(pw::served_version(pointer, json_body(R"({"build":{"sha":{"a":1}}})")).has_value());
  CHECK_FALSE(pw::served_version(pointer, json_body(R"({"build":{"sha":""}})")).has_value());
  CHECK_FALSE(pw::served_version(pointer, json_body("not json")).has_value());
  CHECK(pw::served_version(pointer, json_body(R"({"build":{"sha":"a\u001b[2Jb\nc"}})")) == "a\xEF\xBF\xBD[2Jb c");
  const std::string huge = R"({"build":{"sha":")" + std::string(5000, 'x') + "\"}}";
  CHECK(pw::served_version(pointer, json_body(huge))->size() == pw::k_version_bytes);

  pw::VersionSource header{"header x-app-version", {}, "x-app-version"};
  pw::Evidence evidence = json_body("");
  evidence.headers.push_back({"x-app-version", "v1.4.2"});
  CHECK(pw::served_version(header, evidence) == "v1.4.2");
  CHECK_FALSE(pw::served_version(header, json_body("")).has_value());
}

TEST_CASE("deploy: what was live at recovery") {
  const pw::Config c = deploy_config(
      "checks:\n  - { id: api, url: 'http://a/', version: /version }\n  - { id: web, url: 'http://b/' }\n");
  const pw::Check& versioned = c.checks[0];
  const pw::Check& plain = c.checks[1];

  SUBCASE("on a deployment run, a check that serves the deployment names its commit and environment") {
    auto live = pw::live_deploy(versioned, deploy_result("api", true, "3f2a9c1"), deploy_at());
    REQUIRE(live.has_value());
    CHECK(live->version == "3f2a9c1");
    CHECK(live->sha == k_model_sha);
    CHECK(live->environment == "production");
    CHECK(live->deployed);
    live = pw::live_deploy(plain, deploy_result("web", true), deploy_at());
    REQUIRE(live.has_value());
    CHECK(live->version.empty());
    CHECK(live->sha == k_model_sha);
  }
  SUBCASE("a check still serving another version is not credited to the deployment") {
    auto live = pw::live_deploy(versioned, deploy_result("api", true, "1.4.1"), deploy_at());
    REQUIRE(live.has_value());
    CHECK(live->version == "1.4.1");
    CHECK(live->sha.empty());
    CHECK_FALSE(live->deployed);
  }
  SUBCASE("without a deployment, a served version that looks like a commit names it") {
    auto live = pw::live_deploy(versioned, deploy_result("api", true, "9D8E7F6A"), std::nullopt);
    REQUIRE(live.has_value());
    CHECK(live->sha == "9d8e7f6a");
    CHECK_FALSE(live->deployed);
    CHECK(pw::live_deploy(versioned, deploy_result("api", true, "v2.0.0"), std::nullopt)->sha.empty());
    CHECK_FALSE(pw::live_deploy(plain, deploy_result("web", true), std::nullopt).has_value());
    CHECK_FALSE(pw::live_deploy(plain, deploy_result("web", true), deploy_at("failure")).has_value());
  }
}

TEST_CASE("deploy: the recovery note names the deploy that was live") {
  const pw::Config c = deploy_config("checks:\n  - { id: api, name: API, url: 'http://a/', version: /version }\n");
  const pw::TemplateSet templates = pw::TemplateSet::defaults();
  pw::RunInfo run;
  run.server_url = "https://github.com";
  run.repository = "octo/app";
  run.now = *github::parse_iso8601("2026-12-02T07:00:00Z");
  const pw::IssueWriter writer(templates, c.secrets, run);
  pw::IncidentState state;
  state.check = "api";
  state.first_seen = run.now - 2h;
  state.last_seen = run.now - 5min;
  pw::Action action{pw::ActionKind::close, "api", 12, state, pw::CommentReason::recovered};
  const pw::CheckResult passed = deploy_result("api", true, "3f2a9c1");
  const std::vector<pw::Hint> hints;
  auto note = [&](const pw::LiveDeploy* live) {
    const pw::IncidentFacts facts{c.checks[0], passed, state, hints, 1, live};
    auto text = writer.comment(action, facts);
    REQUIRE_MESSAGE(text.has_value(), text.error().message);
    return text->substr(0, text->find("<details>"));
  };

  pw::LiveDeploy live;
  live.version = "3f2a9c1";
  live.sha = k_model_sha;
  live.environment = "production";
  live.pull = 74;
  live.pull_title = "Fix the health check for @ops <b>now</b>";
  live.deployed = true;
  CHECK(note(&live) ==
        "**Recovered after 2h.** API passes again (status 200, 0ms). Closing this incident.\n\n"
        "**Live when it recovered:** version `3f2a9c1`, commit "
        "[3f2a9c1](https://github.com/octo/app/commit/3f2a9c1d4e5b6a7980112233445566778899aabb) from pull request #74 "
        "(Fix the health check for @\u200bops \\<b\\>now\\</b\\>), deployed to production.\n\n");

  SUBCASE("GitHub did not know the pull request: the commit only") {
    live.pull = 0;
    live.environment.clear();
    CHECK(note(&live) ==
          "**Recovered after 2h.** API passes again (status 200, 0ms). Closing this incident.\n\n"
          "**Live when it recovered:** version `3f2a9c1`, commit "
          "[3f2a9c1](https://github.com/octo/app/commit/3f2a9c1d4e5b6a7980112233445566778899aabb).\n\n");
  }
  SUBCASE("only a served version") {
    pw::LiveDeploy version_only;
    version_only.version = "v1.4.2";
    CHECK(note(&version_only) ==
          "**Recovered after 2h.** API passes again (status 200, 0ms). Closing this incident.\n\n"
          "**Live when it recovered:** version `v1.4.2`.\n\n");
  }
  SUBCASE("nothing known: the note is as before") {
    CHECK(note(nullptr) == "**Recovered after 2h.** API passes again (status 200, 0ms). Closing this incident.\n\n");
  }
}

TEST_CASE("deploy: a config that probes the deployment's address says where the address comes from") {
  const std::string yaml = "checks:\n  - { id: app, url: '${PROBEWATCH_DEPLOY_URL}/health' }\n";
  auto missing = pw::load_config(yaml, "t.yml", {});
  REQUIRE_FALSE(missing.has_value());
  CHECK(missing.error().message ==
        "t.yml:2:21: in \"url\": environment variable PROBEWATCH_DEPLOY_URL is not set (referenced as "
        "${PROBEWATCH_DEPLOY_URL}): probewatch sets it on a deployment_status run, from the event file at "
        "GITHUB_EVENT_PATH; run this config on: deployment_status, or set it by hand");
  // The deployment's address is public: shown in reports and issues, never redacted.
  auto loaded = pw::load_config(yaml, "t.yml", {{"PROBEWATCH_DEPLOY_URL", "https://app-abc.vercel.app"}});
  REQUIRE(loaded.has_value());
  CHECK(loaded->checks[0].url == "https://app-abc.vercel.app/health");
  CHECK(loaded->secrets.apply("https://app-abc.vercel.app/health") == "https://app-abc.vercel.app/health");
}
