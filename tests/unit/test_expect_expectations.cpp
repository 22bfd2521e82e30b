#include <bot/config/load.hpp>
#include <bot/expect/expectations.hpp>

#include <doctest/doctest.h>

using namespace std::chrono_literals;

namespace {

const pw::TimePoint k_now = std::chrono::sys_days{std::chrono::year{2026} / 11 / 27};

pw::Expect expect_of(const std::string& block) {
  auto config = pw::load_config("checks:\n  - name: x\n    url: https://a/\n    expect:\n" + block, "t.yml", {});
  REQUIRE_MESSAGE(config.has_value(), config.error().message);
  return config->checks[0].expect;
}

pw::Evidence response(int status, std::string body = "",
                      std::vector<std::pair<std::string, std::string>> headers = {}) {
  pw::Evidence evidence;
  evidence.status = status;
  evidence.body = std::move(body);
  evidence.headers = std::move(headers);
  evidence.response_time = 120ms;
  return evidence;
}

std::vector<std::string> messages(const pw::Expect& expect, const pw::Evidence& evidence) {
  std::vector<std::string> out;
  for (const auto& failed : pw::judge(expect, evidence, k_now)) {
    out.push_back(failed.message);
  }
  return out;
}

}  // namespace

TEST_CASE("expectations: status") {
  const pw::Expect expect = expect_of("      status: [200, \"300-399\"]\n");
  CHECK(messages(expect, response(200)).empty());
  CHECK(messages(expect, response(302)).empty());
  CHECK(messages(expect, response(404)) == std::vector<std::string>{"status 404 not in [200, 300-399]"});
  CHECK(pw::judge(expect, response(404), k_now)[0].key == "status:404");
  CHECK(messages(pw::Expect{}, response(500)) == std::vector<std::string>{"status 500 not in [200-399]"});
}

TEST_CASE("expectations: response time, body, regex") {
  const pw::Expect expect = expect_of(
      "      max_response_time: 100ms\n      body_contains: healthy\n      body_matches: '\"status\":\\s*\"ok\"'\n");
  CHECK(messages(expect, response(200, R"({"status": "ok", "db": "healthy"})")) ==
        std::vector<std::string>{"response time 120ms over 100ms"});
  CHECK(messages(expect, response(200, "nope")) ==
        std::vector<std::string>{"response time 120ms over 100ms", "body does not contain \"healthy\"",
                                 R"(body does not match /"status":\s*"ok"/)"});
}

TEST_CASE("expectations: JSON Pointer values") {
  const pw::Expect expect = expect_of("      json: { /status: healthy, /build: 42, /ready: true, /gone: null }\n");
  CHECK(messages(expect, response(200, R"({"status":"healthy","build":42.0,"ready":true,"gone":null})")).empty());
  CHECK(messages(expect, response(200, R"({"status":"degraded","build":"42","ready":false})")) ==
        std::vector<std::string>{"/status is \"degraded\", expected \"healthy\"", "/build is \"42\", expected 42",
                                 "/ready is false, expected true", "/gone missing, expected null"});
  CHECK(messages(expect_of("      json: { /version: \"1.2\" }\n"),
                 response(200, "<html>oops</html>", {{"content-type", "text/html"}})) ==
        std::vector<std::string>{"/version: body is not valid JSON, content-type \"text/html\""});
  const std::string long_value = std::string(300, 'v');
  CHECK(messages(expect_of("      json: { /v: x }\n"), response(200, "{\"v\":\"" + long_value + "\"}")) ==
        std::vector<std::string>{"/v is \"" + std::string(120, 'v') + "…\", expected \"x\""});
}

TEST_CASE("expectations: headers") {
  const pw::Expect expect = expect_of("      headers: { Content-Type: \"^application/json\", x-version: \"^2\" }\n");
  CHECK(messages(expect, response(200, "", {{"content-type", "application/json"}, {"x-version", "2.1"}})).empty());
  CHECK(messages(expect, response(200, "", {{"content-type", "text/html; charset=utf-8"}})) ==
        std::vector<std::string>{"header content-type is \"text/html; charset=utf-8\", expected /^application/json/",
                                 "header x-version missing, expected /^2/"});
}

TEST_CASE("expectations: certificate days left") {
  const pw::Expect expect = expect_of("      cert_days_left: 14\n");
  pw::Evidence evidence = response(200);
  CHECK(messages(expect, evidence) ==
        std::vector<std::string>{"no TLS certificate to check (cert_days_left needs an https URL)"});
  evidence.tls =
      pw::TlsEvidence{"TLSv1.3", pw::CertificateInfo{"CN=a", "CN=ca", {"a"}, k_now - 24h * 80, k_now + 24h * 30}};
  CHECK(messages(expect, evidence).empty());
  evidence.tls->chain_not_after = k_now + 24h * 3 + 1h;
  CHECK(messages(expect, evidence) ==
        std::vector<std::string>{"certificate expires in 3 days (2026-11-30), fewer than 14"});
}

TEST_CASE("expectations: a transport failure has no expectation lines") {
  pw::Evidence evidence;
  evidence.failure = pw::TransportFailure::timeout;
  evidence.error = "timed out";
  CHECK(pw::judge(expect_of("      status: 200\n"), evidence, k_now).empty());
}

TEST_CASE("expectations: numeric comparisons on JSON Pointer values") {
  const pw::Expect expect = expect_of(
      "      json: { /queue/depth: \"< 100\", /ratio: \">= 0.5\", /errors: \"== 0\", /build: \"!= 0\", /load: "
      "\"<= 2\", /workers: \"> 1\" }\n");
  SUBCASE("all hold") {
    CHECK(messages(expect, response(200, R"({"queue":{"depth":99},"ratio":0.5,"errors":0,"build":7,"load":2,)"
                                         R"("workers":2})"))
              .empty());
  }
  SUBCASE("each fails with the value it saw") {
    CHECK(messages(expect, response(200, R"({"queue":{"depth":100},"ratio":0.25,"errors":3,"build":0,"load":2.5,)"
                                         R"("workers":1})")) ==
          std::vector<std::string>{"/queue/depth is 100, expected < 100", "/ratio is 0.25, expected >= 0.5",
                                   "/errors is 3, expected == 0", "/build is 0, expected != 0",
                                   "/load is 2.5, expected <= 2", "/workers is 1, expected > 1"});
  }
  SUBCASE("a value that is not a number, or missing") {
    const pw::Expect depth = expect_of("      json: { /queue/depth: \"< 100\" }\n");
    CHECK(messages(depth, response(200, R"({"queue":{"depth":"deep"}})")) ==
          std::vector<std::string>{"/queue/depth is \"deep\", expected a number < 100"});
    CHECK(messages(depth, response(200, R"({"queue":{}})")) ==
          std::vector<std::string>{"/queue/depth missing, expected < 100"});
  }
  SUBCASE("text that is not a comparison stays an equality on text") {
    const pw::Expect text = expect_of("      json: { /mood: \"< happy\" }\n");
    CHECK(text.json[0].comparison == std::nullopt);
    CHECK(messages(text, response(200, R"({"mood":"< happy"})")).empty());
  }
}

TEST_CASE("expectations: array lengths") {
  const pw::Expect expect =
      expect_of("      json: { /items: \"len > 0\", /name: \"len <= 5\", /tags: \"len == 2\" }\n");
  CHECK(messages(expect, response(200, R"({"items":[1],"name":"probe","tags":{"a":1,"b":2}})")).empty());
  CHECK(messages(expect, response(200, R"({"items":[],"name":"probewatch","tags":{"a":1}})")) ==
        std::vector<std::string>{"/items has length 0, expected len > 0", "/name has length 10, expected len <= 5",
                                 "/tags has length 1, expected len == 2"});
  CHECK(messages(expect_of("      json: { /items: \"len > 0\" }\n"), response(200, R"({"items":5})")) ==
        std::vector<std::string>{"/items is 5, expected an array, object or string with len > 0"});
}

TEST_CASE("expectations: header absence") {
  const pw::Expect expect = expect_of("      headers: { X-Debug: absent, server: \"absent\" }\n");
  CHECK(messages(expect, response(200, "", {{"server", "absent"}})).empty());
  CHECK(messages(expect, response(200, "", {{"x-debug", "1"}, {"server", "nginx"}})) ==
        std::vector<std::string>{"header x-debug is \"1\", expected absent",
                                 "header server is \"nginx\", expected /absent/"});
}

TEST_CASE("expectations: degraded response time") {
  const pw::Expect expect = expect_of("      degraded_response_time: 100ms\n      max_response_time: 1s\n");
  pw::Evidence slow = response(200);
  slow.response_time = 250ms;
  CHECK(messages(expect, slow).empty());
  CHECK(pw::degraded_reason(expect, slow) == "response time 250ms over degraded_response_time 100ms");
  pw::Evidence fast = response(200);
  fast.response_time = 100ms;
  CHECK(pw::degraded_reason(expect, fast) == std::nullopt);
  pw::Evidence failed = response(200);
  failed.status.reset();
  failed.failure = pw::TransportFailure::timeout;
  failed.response_time = 10s;
  CHECK(pw::degraded_reason(expect, failed) == std::nullopt);
}
