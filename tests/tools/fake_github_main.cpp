// fake_github: the in-process fake GitHub as a standalone server, for shell-driven tests.
//
//   fake_github [--host 127.0.0.1] [--port 0] [--prefix /api/v3] [--repo OWNER/NAME]...
//               [--token TOKEN[:LOGIN]]... [--manual-clock [ISO-TIME]] [--max-delay-ms 3000]
//
// Prints the API root (e.g. http://127.0.0.1:41234/api/v3) on one line, then serves until
// SIGINT or SIGTERM. Drive it through the JSON control API under /_fake/ (see control_api.hpp).
#include <github_client/clock.hpp>
#include <github_client/iso8601.hpp>
#include <support/fake_github/fake_github.hpp>
#include <support/fake_github/fake_github_server.hpp>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace {

struct Arguments {
  pw::test::FakeGitHubServerOptions server;
  pw::test::FakeGitHubOptions github;
  std::vector<std::string> repos;
  std::vector<std::pair<std::string, std::string>> tokens;
  bool manual_clock = false;
  std::string start_time;
};

[[noreturn]] void usage(const char* message) {
  std::fprintf(stderr,
               "fake_github: %s\nusage: fake_github [--host H] [--port N] [--prefix /api/v3] [--repo OWNER/NAME]... "
               "[--token TOKEN[:LOGIN]]... [--manual-clock [ISO-TIME]] [--max-delay-ms N]\n",
               message);
  std::exit(2);
}

Arguments parse(int argc, char** argv) {
  Arguments args;
  for (int i = 1; i < argc; ++i) {
    std::string_view flag = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) {
        usage("a flag is missing its value");
      }
      return argv[++i];
    };
    if (flag == "--host") {
      args.server.host = value();
    } else if (flag == "--port") {
      args.server.port = std::atoi(value().c_str());
    } else if (flag == "--prefix") {
      args.github.api_prefix = value();
    } else if (flag == "--repo") {
      args.repos.push_back(value());
    } else if (flag == "--token") {
      std::string token = value();
      auto colon = token.find(':');
      args.tokens.emplace_back(token.substr(0, colon),
                               colon == std::string::npos ? "github-actions[bot]" : token.substr(colon + 1));
    } else if (flag == "--manual-clock") {
      args.manual_clock = true;
      if (i + 1 < argc && argv[i + 1][0] != '-') {
        args.start_time = argv[++i];
      }
    } else if (flag == "--max-delay-ms") {
      args.server.max_delay = std::chrono::milliseconds{std::atoi(value().c_str())};
    } else {
      usage("unknown flag");
    }
  }
  return args;
}

}  // namespace

int main(int argc, char** argv) {
  Arguments args = parse(argc, argv);
  // Block the stop signals before any thread starts, so only sigwait below receives them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  try {
    github::SystemClock system_clock;
    std::unique_ptr<pw::test::FakeGitHub> github;
    if (args.manual_clock) {
      github = std::make_unique<pw::test::FakeGitHub>(args.github);
      if (!args.start_time.empty()) {
        auto start = github::parse_iso8601(args.start_time);
        if (!start) {
          usage("--manual-clock takes an ISO 8601 time such as 2026-11-27T00:00:00Z");
        }
        github->manual_clock()->set(*start);
      }
    } else {
      github = std::make_unique<pw::test::FakeGitHub>(system_clock, args.github);
    }
    for (const auto& repo : args.repos) {
      github->add_repo(repo);
    }
    for (const auto& [token, login] : args.tokens) {
      github->add_token(token, login);
    }
    pw::test::FakeGitHubServer server(*github, args.server);
    server.start();
    std::printf("%s\n", server.url().c_str());
    std::fflush(stdout);
    int received = 0;
    sigwait(&stop_signals, &received);
    server.stop();
  } catch (const std::exception& error) {
    std::fprintf(stderr, "fake_github: %s\n", error.what());
    return 1;
  }
  return 0;
}
