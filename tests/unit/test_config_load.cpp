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
          "defaults, issues, checks, maintenance, id, public, schedule, vantages, rdap_server");
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

TEST_CASE("config: public variables are shown, every other ${NAME} is a secret") {
  const pw::Environment env{{"API_HOST", "api.example.com"},
                            {"API_TOKEN", "s3cr3t-token"},
                            {"GITHUB_SHA", "def456"},
                            {"GITHUB_TOKEN", "ghs_abcdef"},
                            {"RUNNER_NAME", "runner-7"}};
  SUBCASE("GITHUB_* (but GITHUB_TOKEN), RUNNER_* and the names under public:") {
    auto config = load(R"(public: [API_HOST]
checks:
  - name: x
    url: https://${API_HOST}/v?runner=${RUNNER_NAME}
    headers: { Authorization: "Bearer ${API_TOKEN}", X-Gh: "${GITHUB_TOKEN}" }
    expect: { json: { /version: "${GITHUB_SHA}" } }
)",
                       env);
    REQUIRE_MESSAGE(config.has_value(), config.error().message);
    CHECK(config->secrets.apply("https://api.example.com/v?runner=runner-7 def456 s3cr3t-token ghs_abcdef") ==
          "https://api.example.com/v?runner=runner-7 def456 *** ***");
    CHECK(config->secrets.secrets() == std::vector<std::string>{"s3cr3t-token", "ghs_abcdef"});
  }
  SUBCASE("without public:, a host is a secret too") {
    auto config = load("checks:\n  - name: x\n    url: https://${API_HOST}/v\n", env);
    REQUIRE(config.has_value());
    CHECK(config->secrets.apply(config->checks[0].url) == "https://***/v");
  }
  SUBCASE("a secret too short to redact is an error saying how to fix it") {
    CHECK(error_of("checks:\n  - name: x\n    url: https://a.example/${ENV_NAME}\n", {{"ENV_NAME", "s"}}) ==
          "probewatch.yml:3:10: in \"url\": the value of ENV_NAME is a secret of 1 character, too short to redact "
          "without garbling the output; if it is not secret, declare it public (public: [ENV_NAME]), otherwise use a "
          "value of at least 4 characters");
    CHECK(error_of("checks:\n  - name: x\n    url: http://a/\n    headers: { X-K: \"${K}\" }\n", {{"K", "abc"}}) ==
          "probewatch.yml:4:21: in \"X-K\": the value of K is a secret of 3 characters, too short to redact "
          "without garbling the output; if it is not secret, declare it public (public: [K]), otherwise use a value "
          "of at least 4 characters");
  }
  SUBCASE("a short value declared public is fine, and so is an empty one") {
    auto config = load("public: [ENV_NAME]\nchecks:\n  - name: x\n    url: https://a.example/${ENV_NAME}${EMPTY}\n",
                       {{"ENV_NAME", "s"}, {"EMPTY", ""}});
    REQUIRE_MESSAGE(config.has_value(), config.error().message);
    CHECK(config->checks[0].url == "https://a.example/s");
    CHECK(config->secrets.empty());
  }
  SUBCASE("public: takes variable names, never GITHUB_TOKEN") {
    CHECK(error_of("public: [API-HOST]\nchecks:\n  - name: x\n    url: http://a/\n") ==
          "probewatch.yml:1:9: \"public\" lists \"API-HOST\", which is not a variable name; write names as in "
          "public: [API_HOST] (letters, digits and _)");
    CHECK(error_of("public: [GITHUB_TOKEN]\nchecks:\n  - name: x\n    url: http://a/\n") ==
          "probewatch.yml:1:9: \"public\" lists GITHUB_TOKEN, which is always a secret; remove it");
  }
}

TEST_CASE("config: a URL a run would reject is a config error, with file:line:col") {
  const auto url_error = [](const std::string& url) {
    return error_of("checks:\n  - name: x\n    url: \"" + url + "\"\n");
  };
  SUBCASE("no host") {
    CHECK(url_error("http://") ==
          "probewatch.yml:3:10: \"url\": URL \"http://\" has no host; write it as http://host/path");
  }
  SUBCASE("port out of range") {
    CHECK(url_error("http://a.example:99999/") ==
          "probewatch.yml:3:10: \"url\": URL \"http://a.example:99999/\" has an "
          "invalid port \"99999\" (must be 1-65535)");
  }
  SUBCASE("credentials, not repeated in the message") {
    CHECK(url_error("https://user:pw@a.example/") ==
          "probewatch.yml:3:10: \"url\": URL \"https://***@a.example/\" contains credentials; send them in a header "
          "(e.g. Authorization) instead");
  }
  SUBCASE("a substituted secret in a bad URL stays redacted") {
    CHECK(error_of("checks:\n  - name: x\n    url: \"http://a.example:${PORT}/\"\n", {{"PORT", "99999"}}) ==
          "probewatch.yml:3:10: \"url\": URL \"http://a.example:***/\" has an invalid port \"***\" (must be 1-65535)");
  }
  SUBCASE("a control that is not a URL") {
    CHECK(error_of("control: not-a-url\nchecks:\n  - name: x\n    url: http://a/\n") ==
          "probewatch.yml:1:10: \"control\": URL \"not-a-url\" has no scheme; write it as https://host/path");
    CHECK(error_of("control: \"http://:80/\"\nchecks:\n  - name: x\n    url: http://a/\n") ==
          "probewatch.yml:1:10: \"control\": URL \"http://:80/\" has no host; write it as http://host/path");
  }
  SUBCASE("an empty ca_file") {
    CHECK(error_of("checks:\n  - name: x\n    url: https://a/\n    ca_file: \"\"\n") ==
          "probewatch.yml:4:14: \"ca_file\" is empty; give the path of the CA's PEM file, or drop the key");
  }
}

TEST_CASE("config: the files settings name are listed once per place, for the caller to check") {
  auto config = load(
      "defaults: { ca_file: ca.pem }\nchecks:\n  - name: a\n    url: https://a/\n  - name: b\n    url: "
      "https://b/\n  - name: c\n    url: https://c/\n    ca_file: other.pem\n");
  REQUIRE(config.has_value());
  REQUIRE(config->files.size() == 2);
  CHECK(config->files[0].key == "ca_file");
  CHECK(config->files[0].path == "ca.pem");
  CHECK(config->files[0].location.line == 1);
  CHECK(config->files[0].location.column == 22);
  CHECK(config->files[1].path == "other.pem");
  CHECK(config->files[1].location.line == 9);
}

TEST_CASE("config: forward_headers is off unless a check or the defaults turn it on") {
  auto config = load(
      "defaults: { forward_headers: true }\nchecks:\n  - name: a\n    url: https://a/\n  - name: b\n"
      "    url: https://b/\n    forward_headers: false\n  - name: c\n    url: https://c/\n");
  REQUIRE(config.has_value());
  CHECK(config->checks[0].forward_headers);
  CHECK_FALSE(config->checks[1].forward_headers);
  CHECK(load("checks:\n  - name: c\n    url: https://c/\n")->checks[0].forward_headers == false);
}

TEST_CASE("config: proxy: takes a proxy URL or none; its password is a secret") {
  auto config = load(
      "defaults: { proxy: none }\nchecks:\n  - name: a\n    url: https://a/\n  - name: b\n"
      "    url: https://b/\n    proxy: \"http://ops:pr0xy-pw@proxy.test:3128\"\n");
  REQUIRE_MESSAGE(config.has_value(), config.error().message);
  CHECK(config->checks[0].proxy == "none");
  CHECK(config->checks[1].proxy == "http://ops:pr0xy-pw@proxy.test:3128");
  CHECK(config->secrets.apply("pw pr0xy-pw") == "pw ***");
  CHECK(error_of("checks:\n  - name: a\n    url: https://a/\n    proxy: \"socks5://proxy.test:1080\"\n") ==
        "probewatch.yml:4:12: \"proxy\": \"socks5://proxy.test:1080\" uses scheme \"socks5\"; probewatch speaks to "
        "HTTP proxies only: write http://host:port, or none to connect directly");
}

TEST_CASE("config: YAML merge keys and x- extension keys share settings between checks") {
  auto config = load(R"(x-fast: &fast
  timeout: 2s
  retries: 0
x-json: &json
  headers: { Accept: application/json }
checks:
  - id: a
    url: http://a.test/
    <<: *fast
  - id: b
    url: http://b.test/
    <<: [*fast, *json]
    retries: 3
)");
  REQUIRE_MESSAGE(config.has_value(), config.error().message);
  REQUIRE(config->checks.size() == 2);
  CHECK(config->checks[0].timeout == 2s);
  CHECK(config->checks[0].retries == 0);
  CHECK(config->checks[1].retries == 3);  // the check's own key wins over the merged one
  CHECK(config->checks[1].timeout == 2s);
  REQUIRE(config->checks[1].headers.size() == 1);
  CHECK(config->checks[1].headers[0].first == "Accept");

  CHECK(error_of("checks:\n  - id: a\n    url: http://a.test/\n    <<: 5\n") ==
        "probewatch.yml:4:5: \"<<\" (a YAML merge key) takes a map or a list of maps, as in <<: *defaults");
  CHECK(error_of("y-note: 1\nchecks:\n  - id: a\n    url: http://a.test/\n")
            .starts_with("probewatch.yml:1:1: unknown key \"y-note\" in the top level"));
}

TEST_CASE("config: a quoted value without its closing quote names where it starts") {
  CHECK(error_of("checks:\n  - name: \"unterminated\n    url: http://x/\n") ==
        "probewatch.yml:2:11: the value starting with \" has no closing \" (it runs to the end of the file); add the "
        "closing quote");
  CHECK(error_of("checks:\n  - name: 'it''s\n    url: http://x/\n") ==
        "probewatch.yml:2:11: the value starting with ' has no closing ' (it runs to the end of the file); add the "
        "closing quote");
  auto fine =
      load("checks:\n  - name: \"say \\\"hi\\\"\"\n    url: http://x/\n  - name: 'it''s'\n    url: http://y/\n");
  REQUIRE_MESSAGE(fine.has_value(), fine.error().message);
  CHECK(fine->checks[0].name == "say \"hi\"");
  CHECK(fine->checks[1].name == "it's");
}
