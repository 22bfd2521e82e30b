#pragma once

#include <bot/cli/app.hpp>
#include <bot/core/files.hpp>

#include <support/app/scripted_prober.hpp>
#include <support/fake_clock.hpp>
#include <support/fake_github/fake_github.hpp>

#include <filesystem>
#include <string>
#include <vector>

namespace pw::test {

// Runs probewatch commands in process, against a FakeGitHub and a ScriptedProber, with a fake
// clock shared by both, in a temporary working folder.
class AppHarness {
 public:
  static constexpr const char* k_repo = "octo/app";
  static constexpr const char* k_token = "ghp_canaryTOKEN0123456789";

  AppHarness();
  ~AppHarness();
  AppHarness(const AppHarness&) = delete;
  AppHarness& operator=(const AppHarness&) = delete;

  struct Result {
    int exit_code = 0;
    std::string out;
    std::string err;
  };

  // Writes the config file (probewatch.yml in the working folder).
  void write_config(const std::string& yaml);
  // Runs `probewatch <args...>` with GITHUB_TOKEN/GITHUB_REPOSITORY/GITHUB_API_URL set, in the
  // working folder (the process's current folder changes meanwhile: one run at a time).
  Result run(std::vector<std::string> args);
  // Runs without changing folder, so several may run at once on threads; pass absolute paths.
  Result run_here(std::vector<std::string> args);
  // Shorthand: `run --config probewatch.yml` plus extra arguments.
  Result run_config(std::vector<std::string> extra = {});

  // The open issues carrying a marker of kind incident.
  std::vector<FakeIssue> open_incidents() const;
  std::vector<FakeComment> comments(int number) const;
  std::filesystem::path path(const std::string& name) const { return m_dir / name; }

  FakeClock clock;
  FakeGitHub github{clock};
  ScriptedProber prober;
  Environment env;

 private:
  std::filesystem::path m_dir;
  DiskFiles m_files;
};

}  // namespace pw::test
