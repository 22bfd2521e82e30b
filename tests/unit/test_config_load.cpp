#include <bot/config/load.hpp>

#include <doctest/doctest.h>

#include <string>

using namespace std::chrono_literals;

namespace {

pw::Expected<pw::Config> load(const std::string& text, const pw::Environment& env = {}) {
  return pw::load_config(text, "probewatch.yml", env);
}

std::string error_of(const std::string& text, const pw::Environment& env = {}) {
  auto config = load(text, env);
  REQUIRE_FALSE(config.has_value());
  return config.error().message;
}

}  // namespace

TEST_CASE("config: a full file loads with defaults merged into each check") {
  auto config = load(R"(concurrency: 8
defaults:
  timeout: 3s
  retries: 1
  retry_delay: 250ms
  headers: { User-Agent: probewatch, X-Env: prod }
  expect:
    max_response_time: 2s
issues:
  labels: [probewatch, ops]
  assignees: octocat
  failure_threshold: 2
  success_threshold: 3
  reminder: 12h
  reopen_window: 1h
checks:
  - name: API health
    url: https://${API_HOST}/api/health
    headers: { X-Env: staging, Authorization: "Bearer ${API_TOKEN}" }
    expect:
      status: [200, "300-399"]
      body_contains: healthy
      body_matches: '"status":\s*"ok"'
      json: { /status: healthy, /build: 42, /ready: true }
      headers: { Content-Type: "^application/json" }
      cert_days_left: 14
  - id: home
    url: http://example.test/
    timeout: 500ms
    follow_redirects: false
    max_body_size: 64KiB
    method: head
)",
                     {{"API_HOST", "api.example.com"}, {"API_TOKEN", "s3cr3t-token"}});
  REQUIRE(config.has_value());
  CHECK(config->concurrency == 8);
  CHECK(config->issues.labels == std::vector<std::string>{"probewatch", "ops"});
  CHECK(config->issues.assignees == std::vector<std::string>{"octocat"});
  CHECK(config->issues.failure_threshold == 2);
  CHECK(config->issues.success_threshold == 3);
  CHECK(config->issues.reminder == 12h);
  CHECK(config->issues.reopen_window == 1h);
  REQUIRE(config->checks.size() == 2);

  const pw::Check& api = config->checks[0];
  CHECK(api.id == "api-health");
  CHECK(api.name == "API health");
  CHECK(api.url == "https://api.example.com/api/health");
  CHECK(api.timeout == 3s);
  CHECK(api.retries == 1);
  CHECK(api.retry_delay == 250ms);
  CHECK(api.location.line == 17);
  CHECK(api.location.column == 5);
  REQUIRE(api.headers.size() == 3);
  CHECK(api.headers[0] == std::pair<std::string, std::string>{"X-Env", "staging"});
  CHECK(api.headers[1] == std::pair<std::string, std::string>{"Authorization", "Bearer s3cr3t-token"});
  CHECK(api.headers[2] == std::pair<std::string, std::string>{"User-Agent", "probewatch"});
  REQUIRE(api.expect.status.size() == 2);
  CHECK(api.expect.status[1].low == 300);
  CHECK(api.expect.status[1].high == 399);
  CHECK(api.expect.max_response_time == 2s);
  CHECK(api.expect.body_contains == "healthy");
  REQUIRE(api.expect.body_matches.has_value());
  CHECK(api.expect.body_matches->matches(R"({"status": "ok"})"));
  REQUIRE(api.expect.json.size() == 3);
  CHECK(api.expect.json[0].expected == "healthy");
  CHECK(api.expect.json[0].expected_is_string);
  CHECK(api.expect.json[1].expected == "42");
  CHECK_FALSE(api.expect.json[1].expected_is_string);
  CHECK(api.expect.json[2].expected == "true");
  REQUIRE(api.expect.headers.size() == 1);
  CHECK(api.expect.headers[0].name == "content-type");
  CHECK(api.expect.cert_days_left == 14);

  const pw::Check& home = config->checks[1];
  CHECK(home.id == "home");
  CHECK(home.name == "home");
  CHECK(home.method == "HEAD");
  CHECK(home.timeout == 500ms);
  CHECK_FALSE(home.follow_redirects);
  CHECK(home.max_body_bytes == 64 * 1024);
  CHECK(home.expect.max_response_time == 2s);
  CHECK(home.expect.status.size() == 1);

  CHECK(config->secrets.apply("GET https://api.example.com/ with s3cr3t-token") == "GET https://***/ with ***");
}

TEST_CASE("config: built-in defaults") {
  auto config = load("checks:\n  - name: x\n    url: http://127.0.0.1/\n");
  REQUIRE(config.has_value());
  const pw::Check& check = config->checks[0];
  CHECK(config->concurrency == 16);
  CHECK(check.timeout == 10s);
  CHECK(check.retries == 2);
  CHECK(check.retry_delay == 5s);
  CHECK(check.method == "GET");
  CHECK(check.follow_redirects);
  CHECK(check.max_body_bytes == 1024 * 1024);
  CHECK(check.expect.status.size() == 1);
  CHECK(check.expect.status[0].low == 200);
  CHECK(check.expect.status[0].high == 399);
  CHECK(config->issues.labels == std::vector<std::string>{"probewatch"});
  CHECK(config->issues.failure_threshold == 1);
  CHECK(config->issues.reminder == 24h);
  CHECK(config->issues.reopen_window == 6h);
  CHECK(config->issues.dashboard);
}

TEST_CASE("config: errors name file, line and column") {
  SUBCASE("unknown key with a did-you-mean") {
    CHECK(error_of("checks:\n  - name: x\n    url: http://a/\n    timout: 5s\n") ==
          "probewatch.yml:4:5: unknown key \"timout\" in a check; did you mean \"timeout\"?");
  }
  SUBCASE("unknown key without a close match lists the keys") {
    CHECK(error_of("colour: red\nchecks:\n  - name: x\n    url: http://a/\n") ==
          "probewatch.yml:1:1: unknown key \"colour\" in the top level; expected one of: concurrency, control, "
          "defaults, issues, checks");
  }
  SUBCASE("unknown key in expect") {
    CHECK(error_of("checks:\n  - name: x\n    url: http://a/\n    expect: { stauts: 200 }\n") ==
          "probewatch.yml:4:15: unknown key \"stauts\" in expect; did you mean \"status\"?");
  }
  SUBCASE("missing environment variable") {
    CHECK(error_of("checks:\n  - name: x\n    url: https://${API_HOST}/health\n") ==
          "probewatch.yml:3:10: in \"url\": environment variable API_HOST is not set (referenced as ${API_HOST})");
  }
  SUBCASE("bad duration") {
    CHECK(error_of("defaults:\n  timeout: 10\nchecks:\n  - name: x\n    url: http://a/\n") ==
          "probewatch.yml:2:12: \"timeout\": duration \"10\" needs a unit (ms, s, m, h or d), as in 250ms, 10s, 5m "
          "or 1h");
  }
  SUBCASE("bad status range") {
    CHECK(error_of("checks:\n  - name: x\n    url: http://a/\n    expect:\n      status: \"299-200\"\n") ==
          "probewatch.yml:5:15: \"status\" entries are codes or ranges from 100 to 599 such as 200 or \"200-299\", "
          "not \"299-200\"");
  }
  SUBCASE("bad regex is a config error") {
    CHECK(error_of("checks:\n  - name: x\n    url: http://a/\n    expect: { body_matches: \"(unclosed\" }\n") ==
          "probewatch.yml:4:29: \"body_matches\": invalid regular expression at offset 9: missing closing "
          "parenthesis");
  }
  SUBCASE("bad JSON Pointer") {
    CHECK(error_of("checks:\n  - name: x\n    url: http://a/\n    expect: { json: { status: ok } }\n") ==
          "probewatch.yml:4:23: in \"json\": JSON Pointer \"status\" must start with \"/\" (as in /status)");
  }
  SUBCASE("missing url and duplicate ids") {
    CHECK(error_of("checks:\n  - name: API\n  - name: Web\n    url: http://a/\n  - name: web\n    url: http://b/\n") ==
          "probewatch.yml:2:5: check \"API\" has no url\n"
          "probewatch.yml:5:5: duplicate check id \"web\" (the first is at line 3); give one an explicit id");
  }
  SUBCASE("threshold without the dashboard") {
    CHECK(error_of("issues:\n  failure_threshold: 3\n  dashboard: false\nchecks:\n  - name: x\n    url: http://a/\n") ==
          "probewatch.yml:3:14: \"failure_threshold: 3\" needs the dashboard, which keeps the count of failing runs "
          "between runs; remove \"dashboard: false\" or set failure_threshold to 1");
  }
  SUBCASE("out of range and wrong types") {
    CHECK(
        error_of("concurrency: 0\nchecks:\n  - name: x\n    url: http://a/\n    retries: two\n    insecure: maybe\n") ==
        "probewatch.yml:1:14: \"concurrency\" must be between 1 and 256, not 0\n"
        "probewatch.yml:5:14: \"retries\" must be a whole number, not \"two\"\n"
        "probewatch.yml:6:15: \"insecure\" must be true or false, not \"maybe\"");
  }
  SUBCASE("invalid YAML") {
    CHECK(error_of("checks:\n  - name: [x\n") == "probewatch.yml:3:1: invalid YAML: end of sequence flow not found");
  }
  SUBCASE("empty file and no checks") {
    CHECK(error_of("") == "probewatch.yml:1:1: the config is empty; add a \"checks:\" list");
    CHECK(error_of("concurrency: 2\n") ==
          "probewatch.yml:1:1: no checks; add at least one under \"checks:\" with a name and a url");
  }
  SUBCASE("url scheme, cert_days_left on http") {
    CHECK(error_of("checks:\n  - name: x\n    url: ftp://a/\n") ==
          "probewatch.yml:3:10: \"url\" must start with http://, https://, tcp://, tls:// or dns://, not \"ftp://a/\"");
    CHECK(error_of("checks:\n  - name: x\n    url: http://a/\n    expect: { cert_days_left: 3 }\n") ==
          "probewatch.yml:2:5: check \"x\" sets cert_days_left but its url is http://; use https:// or drop "
          "cert_days_left");
  }
  SUBCASE("secrets never appear in errors") {
    CHECK(error_of("checks:\n  - name: x\n    url: ${HOST}\n", {{"HOST", "ftp://hunter2.example/"}}) ==
          "probewatch.yml:3:10: \"url\" must start with http://, https://, tcp://, tls:// or dns://, not \"***\"");
  }
}

TEST_CASE("config: hostile input fails cleanly") {
  SUBCASE("billion laughs") {
    std::string text = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
    for (char c = 'b'; c <= 'h'; ++c) {
      const char prev = static_cast<char>(c - 1);
      text += std::string(1, c) + ": &" + c + " [*" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev +
              ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + "]\n";
    }
    CHECK(error_of(text) ==
          "probewatch.yml: the config expands to more than 200000 values (aliases repeated too often?)");
  }
  SUBCASE("deep nesting") {
    const std::string text = std::string(200, '[') + std::string(200, ']');
    CHECK(error_of(text) == "probewatch.yml:1:66: the config nests deeper than 64 levels");
  }
  SUBCASE("two documents") {
    CHECK(error_of("checks: []\n---\nchecks: []\n") ==
          "probewatch.yml:3:1: the config holds more than one YAML document; keep one");
  }
}

TEST_CASE("config: slugify") {
  CHECK(pw::slugify("API health") == "api-health");
  CHECK(pw::slugify("  Web / Home (EU)  ") == "web-home-eu");
  CHECK(pw::slugify("Ünïcode") == "n-code");
}

TEST_CASE("config: ${NAME} works inside flow mappings, where YAML forbids braces in plain scalars") {
  auto config = pw::load_config(
      "checks:\n  - name: x\n    url: https://${HOST}/v\n    expect: { json: { /version: ${GITHUB_SHA} }, body_contains: \"$${literal}\" }\n",
      "probewatch.yml", {{"HOST", "a.example"}, {"GITHUB_SHA", "def456"}});
  REQUIRE_MESSAGE(config.has_value(), config.error().message);
  CHECK(config->checks[0].url == "https://a.example/v");
  CHECK(config->checks[0].expect.json[0].expected == "def456");
  CHECK(config->checks[0].expect.body_contains == "${literal}");
  CHECK(pw::load_config("checks:\n  - name: x\n    url: http://a/\n    expect: { json: { /v: ${MISSING} } }\n",
                        "probewatch.yml", {})
            .error()
            .message ==
        "probewatch.yml:4:27: in \"/v\": environment variable MISSING is not set (referenced as ${MISSING})");
}
