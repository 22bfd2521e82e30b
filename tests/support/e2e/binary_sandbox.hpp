#pragma once

#include <github_client/clock.hpp>
#include <support/fake_github/fake_github.hpp>
#include <support/fake_github/fake_github_server.hpp>
#include <support/process.hpp>

#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace pw::test {

// Where the binaries under test are, as the build passes them in.
struct BinaryPaths {
  std::string probewatch;   // the real probewatch executable
  std::string rusage_exec;  // tests/tools/rusage_exec, for clean peak-RSS figures ("" to skip)
};

// The real probewatch binary run as a child process, in a temporary working folder, against a
// FakeGitHub served over HTTP on loopback. The fake's clock is the system clock, as the binary's is.
// The server starts in the constructor and stops in the destructor; the folder is removed then.
class BinarySandbox {
 public:
  static constexpr const char* k_repo = "octo/e2e";
  static constexpr const char* k_token = "ghp_e2eToken0123456789abcdefABCDEF";
  static constexpr const char* k_web_url = "https://github.example.test";
  static constexpr const char* k_label = "probewatch";

  explicit BinarySandbox(BinaryPaths paths);
  ~BinarySandbox();
  BinarySandbox(const BinarySandbox&) = delete;
  BinarySandbox& operator=(const BinarySandbox&) = delete;

  // Returns the path of `name` inside the working folder.
  std::filesystem::path path(const std::string& name) const { return m_dir / name; }
  // Writes (replaces) a file in the working folder.
  void write_file(const std::string& name, const std::string& text) const;
  // Returns a file's content ("" when missing).
  std::string read_file(const std::string& name) const;

  // The child's whole environment: PATH (and sanitizer settings) from this process, HOME set to the
  // working folder, GITHUB_TOKEN, GITHUB_REPOSITORY, GITHUB_API_URL and GITHUB_SERVER_URL; `extra` wins.
  std::map<std::string, std::string> environment(const std::map<std::string, std::string>& extra = {}) const;
  // `probewatch <args...>` in the working folder with environment(extra).
  ProcessSpec spec(std::vector<std::string> args, const std::map<std::string, std::string>& extra = {},
                   std::chrono::milliseconds timeout = std::chrono::seconds(50)) const;
  // Runs `probewatch <args...>` to completion.
  ProcessResult run(std::vector<std::string> args, const std::map<std::string, std::string>& extra = {},
                    std::chrono::milliseconds timeout = std::chrono::seconds(50)) const;

  // Issues (not pull requests) whose marker is an incident of `check`, in `state` ("" for any).
  std::vector<FakeIssue> incidents(const std::string& check, const std::string& state = "open") const;
  // Open issues whose marker is a dashboard.
  std::vector<FakeIssue> open_dashboards() const;
  std::vector<FakeComment> comments(int number) const { return github.comments(k_repo, number); }

  const BinaryPaths paths;
  github::SystemClock clock;
  FakeGitHub github;
  FakeGitHubServer server;

 private:
  std::filesystem::path m_dir;
};

// Returns the file's content, "" when it cannot be read.
std::string read_text(const std::filesystem::path& file);

}  // namespace pw::test
