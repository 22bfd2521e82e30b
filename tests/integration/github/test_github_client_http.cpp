// The client over the real HttplibTransport against FakeGitHubServer on loopback: keep-alive,
// http://, a path prefix, and resets and timeouts on real sockets. Plus the fake_github tool.
#include <github_client/client.hpp>
#include <github_client/httplib_transport.hpp>
#include <support/fake_github/fake_github.hpp>
#include <support/fake_github/fake_github_server.hpp>
#include <support/fake_github/manual_clock.hpp>

#include <doctest/doctest.h>

#include <csignal>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

using pw::test::FaultKind;
using namespace std::chrono_literals;

namespace {

constexpr std::string_view k_repo = "octo-org/app";

// Real-socket timeouts are the one place these tests spend real time: the client gives up after
// 300 ms (short, so the suite stays fast; long enough for a loaded CI machine to answer normal
// requests), and the server holds a "timeout" connection for at most 1.5 s.
constexpr auto k_short_timeout = 300ms;

// A fake GitHub served on loopback and a client talking to it; stopped even when a check fails.
struct Live {
  explicit Live(pw::test::FakeGitHubOptions options = {}, std::chrono::milliseconds read_timeout = 5000ms)
      : github(clock, std::move(options)),
        server(github, {.max_delay = 6000ms}),
        transport({.connect_timeout = 2000ms, .read_timeout = read_timeout}) {
    server.start();
    github.add_repo(k_repo);
    github::ClientOptions client_options;
    client_options.api_url = server.url();
    client_options.token = "ghs_live_token";
    client_options.write_spacing = 0ms;
    client_options.jitter_seed = 1;
    client.emplace(client_options, transport, clock);
  }

  pw::test::ManualClock clock;
  pw::test::FakeGitHub github;
  pw::test::FakeGitHubServer server;
  github::HttplibTransport transport;
  std::optional<github::Client> client;
};

// Runs the fake_github tool; kills and reaps it when it goes out of scope.
class ToolProcess {
 public:
  explicit ToolProcess(std::vector<std::string> args) {
    int fds[2];
    REQUIRE(pipe(fds) == 0);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
    posix_spawn_file_actions_addclose(&actions, fds[0]);
    args.insert(args.begin(), FAKE_GITHUB_EXECUTABLE);
    std::vector<char*> argv;
    for (auto& arg : args) {
      argv.push_back(arg.data());
    }
    argv.push_back(nullptr);
    int spawned = posix_spawn(&m_pid, FAKE_GITHUB_EXECUTABLE, &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    close(fds[1]);
    m_out = fds[0];
    REQUIRE(spawned == 0);
  }
  ~ToolProcess() {
    stop();
    close(m_out);
  }
  ToolProcess(const ToolProcess&) = delete;
  ToolProcess& operator=(const ToolProcess&) = delete;

  // Returns the first line the tool prints, waiting at most 10 s for it.
  std::string first_line() {
    std::string line;
    auto deadline = std::chrono::steady_clock::now() + 10s;
    while (std::chrono::steady_clock::now() < deadline) {
      pollfd ready{m_out, POLLIN, 0};
      if (poll(&ready, 1, 100) <= 0) {
        continue;
      }
      char c = 0;
      if (read(m_out, &c, 1) != 1 || c == '\n') {
        break;
      }
      line += c;
    }
    return line;
  }

  // Sends SIGTERM and returns the exit status.
  int stop() {
    if (m_pid <= 0) {
      return m_status;
    }
    kill(m_pid, SIGTERM);
    waitpid(m_pid, &m_status, 0);
    m_pid = -1;
    return m_status;
  }

 private:
  pid_t m_pid = -1;
  int m_out = -1;
  int m_status = -1;
};

}  // namespace

TEST_CASE("github_client_http: one kept-alive connection serves every request") {
  Live live;
  REQUIRE(live.client->create_issue(k_repo, {.title = "one", .labels = {"probewatch"}}));
  REQUIRE(live.client->create_issue(k_repo, {.title = "two", .labels = {"probewatch"}}));
  REQUIRE(live.client->get_issue(k_repo, 1));
  REQUIRE(live.client->update_issue(k_repo, 1, {.state = "closed", .state_reason = "completed"}));
  REQUIRE(live.client->create_comment(k_repo, 2, "still failing"));
  auto issues = live.client->list_issues(k_repo, {.labels = {"probewatch"}});
  REQUIRE(issues);
  CHECK(issues->size() == 1);
  CHECK(live.client->requests() == 6);
  CHECK(live.server.connections() == 1);
}

TEST_CASE("github_client_http: http:// with a path prefix, as on GitHub Enterprise Server") {
  Live live({.api_prefix = "/api/v3"});
  CHECK(live.server.url().starts_with("http://127.0.0.1:"));
  CHECK(live.server.url().ends_with("/api/v3"));
  for (int i = 0; i < 150; ++i) {
    live.github.add_issue(k_repo, {.title = "t"});
  }
  auto issues = live.client->list_issues(k_repo);
  REQUIRE(issues);
  CHECK(issues->size() == 150);
  auto log = live.github.requests();
  REQUIRE(log.size() == 2);
  CHECK(log[1].path == "/repositories/1000/issues");
  CHECK(log[1].query == "state=open&per_page=100&page=2");
}

TEST_CASE("github_client_http: a connection reset after the server created the issue") {
  Live live;
  live.github.inject({.fault = FaultKind::reset, .operation = "create_issue", .after_apply = true});
  auto created = live.client->create_issue(k_repo, {.title = "down", .body = "marker"});
  REQUIRE(created);
  CHECK(created->number == 1);
  CHECK(live.github.issues(k_repo).size() == 1);
  CHECK(live.github.count_requests("POST") == 1);
  CHECK(live.server.connections() == 2);
}

TEST_CASE("github_client_http: a reset before anything was applied is retried") {
  Live live;
  live.github.inject({.fault = FaultKind::reset, .operation = "list_issues"});
  REQUIRE(live.client->list_issues(k_repo));
  CHECK(live.github.count_requests("GET") == 2);
}

TEST_CASE("github_client_http: a response that never comes times out, and the create is not repeated") {
  Live live({}, k_short_timeout);
  SUBCASE("the transport reports a timeout after sending") {
    // The answer would come after 5 s (stop() cuts the hold short); the transport gives up at 300 ms.
    live.github.inject({.fault = FaultKind::timeout, .operation = "list_labels", .delay = 5000ms});
    auto started = std::chrono::steady_clock::now();
    auto sent = live.transport.send(
        {"GET", live.server.url() + "/repos/octo-org/app/labels", {{"Authorization", "Bearer x"}}, ""});
    auto elapsed = std::chrono::steady_clock::now() - started;
    REQUIRE_FALSE(sent);
    CHECK(sent.error().kind == github::TransportErrorKind::timeout);
    CHECK(sent.error().request_sent);
    CHECK(sent.error().message.ends_with("within 300 ms"));
    CHECK(elapsed < 4000ms);
  }
  SUBCASE("the client finds the issue the server created") {
    live.github.inject(
        {.fault = FaultKind::timeout, .operation = "create_issue", .after_apply = true, .delay = 5000ms});
    auto created = live.client->create_issue(k_repo, {.title = "down", .body = "marker"});
    REQUIRE(created);
    CHECK(live.github.issues(k_repo).size() == 1);
    CHECK(live.github.count_requests("POST") == 1);
  }
}

TEST_CASE("github_client_http: nobody listening is a connect error that never reached a server") {
  pw::test::ManualClock clock;
  pw::test::FakeGitHub github(clock);
  std::string url;
  {
    pw::test::FakeGitHubServer server(github);
    server.start();
    url = server.url();
  }
  github::HttplibTransport transport({.connect_timeout = 2000ms, .read_timeout = 2000ms});
  auto sent = transport.send({"POST", url + "/repos/o/r/issues", {}, "{}"});
  REQUIRE_FALSE(sent);
  CHECK(sent.error().kind == github::TransportErrorKind::connect);
  CHECK_FALSE(sent.error().request_sent);
  CHECK(sent.error().message.starts_with("could not connect to 127.0.0.1:"));
}

TEST_CASE("github_client_http: the fake_github tool serves and takes scripted faults") {
  ToolProcess tool({"--repo", "octo-org/app", "--prefix", "/api/v3", "--manual-clock", "2026-01-01T00:00:00Z"});
  std::string url = tool.first_line();
  REQUIRE(url.starts_with("http://127.0.0.1:"));
  REQUIRE(url.ends_with("/api/v3"));
  std::string origin = url.substr(0, url.size() - std::string_view("/api/v3").size());

  {
    github::HttplibTransport transport({.connect_timeout = 2000ms, .read_timeout = 5000ms});
    auto control = [&](std::string method, std::string path, std::string body) {
      auto response = transport.send({std::move(method), origin + path, {}, std::move(body)});
      REQUIRE(response);
      return *response;
    };
    CHECK(control("POST", "/_fake/issues", R"({"repo":"octo-org/app","title":"seeded","labels":["probewatch"]})")
              .status == 201);
    CHECK(control("POST", "/_fake/faults", R"({"fault":"502","operation":"create_issue","after_apply":true})").status ==
          201);

    pw::test::ManualClock clock;
    github::ClientOptions options;
    options.api_url = url;
    options.token = "t";
    options.write_spacing = 0ms;
    github::Client client(options, transport, clock);
    auto issues = client.list_issues(k_repo, {.labels = {"probewatch"}});
    REQUIRE(issues);
    REQUIRE(issues->size() == 1);
    CHECK(issues->front().created_at == "2026-01-01T00:00:00Z");
    REQUIRE(client.create_issue(k_repo, {.title = "new"}));

    auto state = nlohmann::json::parse(control("GET", "/_fake/state", "").body);
    CHECK(state["repos"][0]["issues"].size() == 2);
    CHECK(state["faults"][0]["fired"] == 1);
  }  // closes the kept-alive connection, so the tool stops at once
  int status = tool.stop();
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
}

TEST_CASE("github_client_http: every fault on real sockets ends in one issue or a typed error") {
  const std::vector<FaultKind> faults = {
      FaultKind::http_500,  FaultKind::http_502,        FaultKind::http_503,      FaultKind::unauthorized,
      FaultKind::forbidden, FaultKind::secondary_limit, FaultKind::primary_limit, FaultKind::too_many_requests,
      FaultKind::gone,      FaultKind::validation,      FaultKind::reset,         FaultKind::timeout,
      FaultKind::refuse,
  };
  for (FaultKind fault : faults) {
    for (bool after_apply : {false, true}) {
      CAPTURE(pw::test::fault_name(fault));
      CAPTURE(after_apply);
      Live live({}, k_short_timeout);
      live.github.inject(
          {.fault = fault, .operation = "create_issue", .after_apply = after_apply, .retry_after = 1, .delay = 1000ms});
      auto created = live.client->create_issue(k_repo, {.title = "down", .body = "marker"});
      auto issues = live.github.issues(k_repo);
      CHECK(issues.size() <= 1);
      if (created) {
        CHECK(issues.size() == 1);
      } else {
        CHECK(issues.empty());
        bool rejected = created.error().kind == github::ErrorKind::unauthorized ||
                        created.error().kind == github::ErrorKind::forbidden ||
                        created.error().kind == github::ErrorKind::gone ||
                        created.error().kind == github::ErrorKind::validation;
        CHECK(rejected);
      }
    }
  }
}
