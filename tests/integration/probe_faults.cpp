// integration.probe_faults: the fault matrix, through the real HttplibProber and judge(),
// against in-process fault servers on loopback.
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include <bot/probe/httplib_prober.hpp>
#include <bot/probe/probe_all.hpp>

#include <support/fault_server.hpp>
#include "probe_once.hpp"

#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

extern char** environ;

using namespace std::chrono_literals;
using pw::test::FaultServer;
using pw::test::probe_check;
using pw::test::probe_once;

namespace {

constexpr std::size_t k_huge = 50 * 1024 * 1024;
constexpr long k_memory_limit_kib = 64 * 1024;

// Cases that must time out in a given phase get k_deadline instead of probe_check's 10 s: long
// enough for the client to reach that phase even on a busy machine, short enough to keep the
// suite quick.
constexpr auto k_deadline = 2s;

std::string port_of(const FaultServer& server) { return std::to_string(server.port()); }

bool has_header(const pw::Evidence& evidence, const std::string& name) { return evidence.header(name) != nullptr; }

pw::HeaderExpectation header_expectation(std::string name, std::string_view pattern) {
  return pw::HeaderExpectation{std::move(name), pw::Regex::compile(pattern).value()};
}

long status_kib(const std::string& key) {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.starts_with(key + ":")) {
      return std::stol(line.substr(key.size() + 1));
    }
  }
  return -1;
}

// The child side of the memory case: probe the 50 MiB body and report the peak RSS growth.
int huge_body_child(const std::string& url) {
  pw::HttplibProber child_prober;
  pw::Check check = probe_check(url, 20s);
  const long before = status_kib("VmRSS");
  std::ofstream("/proc/self/clear_refs") << "5";  // reset VmHWM to the current RSS
  const pw::Evidence evidence = child_prober.attempt(check);
  const long peak = status_kib("VmHWM");
  std::cout << "growth_kib=" << (peak - before) << " peak_kib=" << peak << " status=" << evidence.status.value_or(0)
            << " body=" << evidence.body.size() << " truncated=" << evidence.body_truncated
            << " failure=" << pw::to_string(evidence.failure) << "\n";
  return 0;
}

std::string run_child(const std::string& url) {
  int pipe_fds[2];
  REQUIRE(::pipe(pipe_fds) == 0);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDOUT_FILENO);
  posix_spawn_file_actions_addclose(&actions, pipe_fds[0]);
  std::string self = "/proc/self/exe";
  std::string flag = "--huge-body-child";
  std::string target = url;
  char* argv[] = {self.data(), flag.data(), target.data(), nullptr};
  pid_t pid = 0;
  const int rc = posix_spawn(&pid, self.c_str(), &actions, nullptr, argv, environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(pipe_fds[1]);
  REQUIRE(rc == 0);
  std::string output;
  char buffer[512];
  ssize_t got = 0;
  while ((got = ::read(pipe_fds[0], buffer, sizeof(buffer))) > 0) {
    output.append(buffer, static_cast<std::size_t>(got));
  }
  ::close(pipe_fds[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  CHECK(WIFEXITED(status));
  return output;
}

long field(const std::string& output, const std::string& key) {
  const std::size_t at = output.find(key + "=");
  return at == std::string::npos ? -1 : std::stol(output.substr(at + key.size() + 1));
}

}  // namespace

TEST_CASE("probe faults: a JSON health endpoint passes, with the evidence a person needs") {
  FaultServer server(pw::test::respond(200, R"({"status":"ok","version":"1.2.3"})", "application/json",
                                       {"Server: fault/1.0", "Via: 1.1 edge-7", "X-Cache: MISS", "Set-Cookie: s=1",
                                        "X-Request-Id: req-42", "X-Powered-By: php"}));
  REQUIRE(server.wait_until_ready());
  pw::Check check = probe_check("http://localhost:" + port_of(server) + "/health");
  check.expect.json.push_back({"/status", {"status"}, "ok", true});
  check.expect.headers.push_back(header_expectation("content-type", "^application/json"));
  const pw::CheckResult result = probe_once(check);
  CHECK(result.ok);
  CHECK(result.attempts == 1);
  CHECK(result.failed.empty());
  const pw::Evidence& evidence = result.evidence;
  CHECK(evidence.failure == pw::TransportFailure::none);
  CHECK(evidence.error.empty());
  CHECK(evidence.status == 200);
  CHECK(evidence.url == "http://localhost:" + port_of(server) + "/health");
  CHECK(std::find(evidence.addresses.begin(), evidence.addresses.end(), "127.0.0.1") != evidence.addresses.end());
  CHECK(*evidence.header("server") == "fault/1.0");
  CHECK(*evidence.header("via") == "1.1 edge-7");
  CHECK(*evidence.header("x-cache") == "MISS");
  CHECK(*evidence.header("x-request-id") == "req-42");
  CHECK(*evidence.header("content-type") == "application/json");
  CHECK_FALSE(has_header(evidence, "set-cookie"));
  CHECK_FALSE(has_header(evidence, "x-powered-by"));
  CHECK(evidence.body == R"({"status":"ok","version":"1.2.3"})");
  CHECK_FALSE(evidence.tls.has_value());
  CHECK(evidence.response_time < 2s);
  const auto seen = server.requests();
  REQUIRE(seen.size() == 1);
  CHECK(seen[0].method == "GET");
  CHECK(seen[0].target == "/health");
  CHECK(seen[0].head.find("User-Agent: probewatch/0.1\r\n") != std::string::npos);
  CHECK(seen[0].head.find("Host: localhost:" + port_of(server) + "\r\n") != std::string::npos);
}

TEST_CASE("probe faults: method, headers and body are sent as configured") {
  FaultServer server(pw::test::respond(201, "created"));
  pw::Check check = probe_check(server.url("/submit?dry=1"));
  check.method = "POST";
  check.headers = {{"Content-Type", "application/json"},
                   {"X-Token", "abc"},
                   {"User-Agent", "custom/2"},
                   {"X-Forged", "a\r\nX-Injected: 1"}};
  check.body = R"({"ping":1})";
  const pw::CheckResult result = probe_once(check);
  CHECK(result.ok);
  const auto seen = server.requests();
  REQUIRE(seen.size() == 1);
  CHECK(seen[0].method == "POST");
  CHECK(seen[0].target == "/submit?dry=1");
  CHECK(seen[0].body == R"({"ping":1})");
  CHECK(seen[0].head.find("X-Token: abc\r\n") != std::string::npos);
  CHECK(seen[0].head.find("Content-Type: application/json\r\n") != std::string::npos);
  CHECK(seen[0].head.find("User-Agent: custom/2\r\n") != std::string::npos);
  INFO("request head: " << seen[0].head);
  CHECK(seen[0].head.find("X-Forged: a  X-Injected: 1\r\n") != std::string::npos);
  CHECK(seen[0].head.find("\r\nX-Injected") == std::string::npos);
}

TEST_CASE("probe faults: headers that come too slowly time out in the headers phase") {
  FaultServer server(pw::test::slow_headers(100ms));
  const pw::CheckResult result = probe_once(probe_check(server.url("/slow"), k_deadline));
  CHECK_FALSE(result.ok);
  CHECK(result.evidence.failure == pw::TransportFailure::timeout);
  CHECK(result.evidence.failure_phase == pw::Phase::headers);
  CHECK(result.evidence.error == "timed out after 2s while waiting for response headers");
  CHECK_FALSE(result.evidence.status.has_value());
}

TEST_CASE("probe faults: an answer later than the deadline times out waiting for headers") {
  FaultServer server(pw::test::delayed_ok(6s));
  const pw::CheckResult result = probe_once(probe_check(server.url(), k_deadline));
  CHECK(result.evidence.failure == pw::TransportFailure::timeout);
  CHECK(result.evidence.failure_phase == pw::Phase::headers);
  CHECK(result.evidence.error == "timed out after 2s while waiting for response headers");
}

TEST_CASE("probe faults: a slow answer within the deadline passes and shows its time") {
  FaultServer server(pw::test::delayed_ok(300ms));
  pw::Check check = probe_check(server.url());
  const pw::CheckResult result = probe_once(check);
  CHECK(result.ok);
  CHECK(result.evidence.response_time >= 300ms);
  check.expect.max_response_time = 100ms;
  const pw::CheckResult judged = probe_once(check);
  CHECK_FALSE(judged.ok);
  REQUIRE(judged.failed.size() == 1);
  CHECK(judged.failed[0].key == "max_response_time");
}

TEST_CASE("probe faults: a body that trickles past the deadline times out in the body phase") {
  FaultServer server(pw::test::trickling_body(10000, 10, 100ms));
  const pw::CheckResult result = probe_once(probe_check(server.url("/trickle"), k_deadline));
  CHECK_FALSE(result.ok);
  CHECK(result.evidence.failure == pw::TransportFailure::timeout);
  CHECK(result.evidence.failure_phase == pw::Phase::body);
  CHECK(result.evidence.error == "timed out after 2s while reading the body");
  CHECK(result.evidence.status == 200);  // how far it got stays as evidence
}

TEST_CASE("probe faults: a connection reset mid-body is a reset in the body phase") {
  FaultServer server(pw::test::reset_mid_body(100000, 1000));
  const pw::CheckResult result = probe_once(probe_check(server.url("/reset")));
  CHECK_FALSE(result.ok);
  CHECK(result.evidence.failure == pw::TransportFailure::reset);
  CHECK(result.evidence.failure_phase == pw::Phase::body);
  CHECK(result.evidence.error == "connection reset or closed by 127.0.0.1:" + port_of(server) +
                                     " while reading the body (after 1000 of 100000 bytes)");
}

TEST_CASE("probe faults: a reset or a non-HTTP reply before any headers") {
  SUBCASE("reset") {
    FaultServer server(pw::test::reset_before_response());
    const pw::CheckResult result = probe_once(probe_check(server.url()));
    CHECK(result.evidence.failure == pw::TransportFailure::reset);
    CHECK(result.evidence.failure_phase == pw::Phase::headers);
    CHECK(result.evidence.error == "connection reset or closed by 127.0.0.1:" + port_of(server) +
                                       " before the response headers were complete (or the reply was not HTTP)");
  }
  SUBCASE("not HTTP") {
    FaultServer server(pw::test::Script{true, {pw::test::send("SSH-2.0-OpenSSH_9.2\r\n")}});
    const pw::CheckResult result = probe_once(probe_check(server.url()));
    CHECK(result.evidence.failure == pw::TransportFailure::reset);
    CHECK(result.evidence.failure_phase == pw::Phase::headers);
  }
}

TEST_CASE("probe faults: a 50 MiB body is read up to the cap, quickly and in bounded memory") {
  FaultServer server(pw::test::huge_body(k_huge));
  pw::Check check = probe_check(server.url("/huge"));
  const pw::CheckResult result = probe_once(check);
  CHECK(result.ok);
  CHECK(result.evidence.status == 200);
  // 1 MiB (the default max_body_bytes) was read and judged; probe_all keeps 64 KiB of it.
  CHECK(result.evidence.body.size() == pw::k_kept_body_bytes);
  CHECK(result.evidence.body_truncated);
  CHECK(result.evidence.body.starts_with("0123456789abcdef0123"));

  // Peak memory is measured in a fresh child process so nothing else in this one counts.
  const std::string output = run_child(server.url("/huge"));
  INFO("child: " << output);
  CHECK(field(output, "status") == 200);
  CHECK(field(output, "body") == 1024 * 1024);
  CHECK(field(output, "truncated") == 1);
  const long growth = field(output, "growth_kib");
  CHECK(growth >= 0);
#if defined(__SANITIZE_ADDRESS__)
  MESSAGE("peak RSS growth for the 50 MiB body: " << growth << " KiB (not asserted under ASan)");
#else
  MESSAGE("peak RSS growth for the 50 MiB body: " << growth << " KiB");
  CHECK(growth < k_memory_limit_kib);
#endif
}

TEST_CASE("probe faults: the body cap is configurable and expectations see only what was read") {
  FaultServer server(pw::test::respond(200, std::string(5000, 'a') + "needle"));
  pw::Check check = probe_check(server.url());
  check.max_body_bytes = 1000;
  check.expect.body_contains = "needle";
  const pw::CheckResult result = probe_once(check);
  CHECK_FALSE(result.ok);
  CHECK(result.evidence.failure == pw::TransportFailure::none);
  CHECK(result.evidence.body == std::string(1000, 'a'));
  CHECK(result.evidence.body_truncated);
  REQUIRE(result.failed.size() == 1);
  CHECK(result.failed[0].message == "body does not contain \"needle\"");
}

TEST_CASE("probe faults: invalid UTF-8 and binary bodies are kept byte for byte") {
  SUBCASE("invalid UTF-8") {
    const std::string body = "ok \xFF\xFE\xC3\x28 end";
    FaultServer server(pw::test::respond(200, body, "text/plain; charset=utf-8"));
    pw::Check check = probe_check(server.url());
    check.expect.body_contains = "end";
    const pw::CheckResult result = probe_once(check);
    CHECK(result.ok);
    CHECK(result.evidence.body == body);
  }
  SUBCASE("binary") {
    std::string body;
    for (int i = 0; i < 4096; ++i) {
      body += static_cast<char>(i % 256);
    }
    FaultServer server(pw::test::respond(200, body, "application/octet-stream"));
    const pw::CheckResult result = probe_once(probe_check(server.url()));
    CHECK(result.ok);
    CHECK(result.evidence.body == body);
    CHECK_FALSE(result.evidence.body_truncated);
  }
}

TEST_CASE("probe faults: 10,000 headers are survived and only a few kept") {
  FaultServer server(pw::test::many_headers(10000));
  const pw::CheckResult result = probe_once(probe_check(server.url()));
  CHECK(result.ok);
  CHECK(result.evidence.status == 200);
  CHECK(result.evidence.body == "ok");
  CHECK(result.evidence.headers.size() <= 49);
  CHECK(*result.evidence.header("content-type") == "text/plain");
}

TEST_CASE("probe faults: endless redirects stop after 10") {
  FaultServer server([](const pw::test::SeenRequest& request) {
    const int n = request.target.starts_with("/r/") ? std::stoi(request.target.substr(3)) : 0;
    return pw::test::respond(302, "", "text/plain", {"Location: /r/" + std::to_string(n + 1)});
  });
  const pw::CheckResult result = probe_once(probe_check(server.url("/r/0")));
  CHECK_FALSE(result.ok);
  CHECK(result.evidence.failure == pw::TransportFailure::too_many_redirects);
  CHECK(result.evidence.error ==
        "more than 10 redirects; stopped before following http://127.0.0.1:" + port_of(server) + "/r/11");
  CHECK(result.evidence.redirects.size() == 11);
  CHECK(result.evidence.redirects.front().from == server.url("/r/0"));
  CHECK(server.requests().size() == 11);
}

TEST_CASE("probe faults: redirects are not followed when follow_redirects is false") {
  FaultServer server(pw::test::respond(302, "", "text/plain", {"Location: /elsewhere"}));
  pw::Check check = probe_check(server.url("/moved"));
  check.follow_redirects = false;
  check.expect.status = {{302, 302}};
  const pw::CheckResult result = probe_once(check);
  CHECK(result.ok);
  CHECK(result.evidence.redirects.empty());
  CHECK(*result.evidence.header("location") == "/elsewhere");
  CHECK(server.requests().size() == 1);
}

TEST_CASE("probe faults: a refused port") {
  const pw::test::RefusedPort port;
  const std::string where = "127.0.0.1:" + std::to_string(port.port());
  const pw::CheckResult result = probe_once(probe_check("http://" + where + "/"));
  CHECK_FALSE(result.ok);
  CHECK(result.evidence.failure == pw::TransportFailure::refused);
  CHECK(result.evidence.failure_phase == pw::Phase::connect);
  CHECK(result.evidence.error == "connection refused by " + where + " (nothing is listening)");
  CHECK(result.evidence.addresses == std::vector<std::string>{"127.0.0.1"});
}

TEST_CASE("probe faults: a name that does not resolve") {
  const pw::CheckResult result = probe_once(probe_check("http://nope.invalid/health"));
  CHECK_FALSE(result.ok);
  CHECK(result.evidence.failure == pw::TransportFailure::dns);
  CHECK(result.evidence.failure_phase == pw::Phase::resolve);
  CHECK(result.evidence.error == "DNS lookup for nope.invalid failed: Name or service not known");
  CHECK(result.evidence.addresses.empty());
}

TEST_CASE("probe faults: a connection that never completes times out while connecting") {
  const pw::test::BlackholePort port;
  const pw::CheckResult result =
      probe_once(probe_check("http://127.0.0.1:" + std::to_string(port.port()) + "/", k_deadline));
  CHECK(result.evidence.failure == pw::TransportFailure::timeout);
  CHECK(result.evidence.failure_phase == pw::Phase::connect);
  CHECK(result.evidence.error == "timed out after 2s while connecting");
}

TEST_CASE("probe faults: TLS against a plain HTTP port, and a handshake that never finishes") {
  SUBCASE("plain HTTP") {
    FaultServer server(
        pw::test::Script{false, {pw::test::send("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")}});
    const pw::CheckResult result = probe_once(probe_check("https://127.0.0.1:" + port_of(server) + "/"));
    CHECK(result.evidence.failure == pw::TransportFailure::tls);
    CHECK(result.evidence.failure_phase == pw::Phase::tls);
    CHECK(result.evidence.error == "TLS handshake with 127.0.0.1:" + port_of(server) +
                                       " failed: wrong version number (is this port serving plain HTTP?)");
  }
  SUBCASE("silent server") {
    FaultServer server(pw::test::Script{false, {pw::test::wait(6s)}});
    const pw::CheckResult result = probe_once(probe_check("https://127.0.0.1:" + port_of(server) + "/", k_deadline));
    CHECK(result.evidence.failure == pw::TransportFailure::timeout);
    CHECK(result.evidence.failure_phase == pw::Phase::tls);
    CHECK(result.evidence.error == "timed out after 2s during the TLS handshake");
  }
}

TEST_CASE("probe faults: an invalid URL is reported without a request") {
  const pw::CheckResult result = probe_once(probe_check("ftp://files.example/"));
  CHECK(result.evidence.failure == pw::TransportFailure::invalid_url);
  CHECK(result.evidence.error == "URL \"ftp://files.example/\" has unsupported scheme \"ftp\"; use http or https");
}

TEST_CASE("probe faults: retries happen inside the run and are counted") {
  pw::test::RefusedPort port;
  pw::Check check = probe_check("http://127.0.0.1:" + std::to_string(port.port()) + "/");
  check.retries = 2;
  check.retry_delay = 10ms;
  check.timeout = 1s;
  const pw::CheckResult result = probe_once(check);
  CHECK(result.attempts == 3);
  CHECK(result.evidence.failure == pw::TransportFailure::refused);
}

int main(int argc, char** argv) {
  if (argc == 3 && std::string_view(argv[1]) == "--huge-body-child") {
    return huge_body_child(argv[2]);
  }
  doctest::Context context(argc, argv);
  const int rc = context.run();
  if (const auto worst = pw::test::worst_overrun()) {
    std::cout << "worst time past a check's deadline: " << worst->count() << " ms\n";
  }
  return rc;
}
