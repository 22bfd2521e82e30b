#include <support/app/app_harness.hpp>
#include <support/os.hpp>

#include <support/fake_github/fake_transport.hpp>

#include <fstream>
#include <sstream>

#include <unistd.h>

namespace pw::test {

AppHarness::AppHarness() : m_dir(make_temp_dir("probewatch-app")) {
  github.add_repo(k_repo);
  env = {{"GITHUB_TOKEN", k_token},
         {"GITHUB_REPOSITORY", k_repo},
         {"GITHUB_API_URL", "https://api.github.com"},
         {"GITHUB_SERVER_URL", "https://github.com"},
         {"GITHUB_RUN_ID", "4242"}};
}

AppHarness::~AppHarness() {
  std::error_code ec;
  std::filesystem::remove_all(m_dir, ec);
}

void AppHarness::write_config(const std::string& yaml) { std::ofstream(m_dir / "probewatch.yml") << yaml; }

AppHarness::Result AppHarness::run(std::vector<std::string> args) {
  const auto previous = std::filesystem::current_path();
  std::filesystem::current_path(m_dir);
  Result result = run_here(std::move(args));
  std::filesystem::current_path(previous);
  return result;
}

AppHarness::Result AppHarness::run_here(std::vector<std::string> args) {
  std::ostringstream out;
  std::ostringstream err;
  AppContext context{env, clock, m_files, prober, [this] { return std::make_unique<FakeTransport>(github); }, out, err};
  context.write_spacing = std::chrono::milliseconds(0);
  const int code = run_app(args, context);
  return {code, out.str(), err.str()};
}

AppHarness::Result AppHarness::run_config(std::vector<std::string> extra) {
  std::vector<std::string> args = {"run", "--config", "probewatch.yml", "--no-progress"};
  args.insert(args.end(), extra.begin(), extra.end());
  return run(args);
}

std::vector<FakeIssue> AppHarness::open_incidents() const {
  std::vector<FakeIssue> out;
  for (const FakeIssue& issue : github.issues(k_repo)) {
    if (issue.state == "open" && issue.body && issue.body->find("\"kind\":\"incident\"") != std::string::npos) {
      out.push_back(issue);
    }
  }
  return out;
}

std::vector<FakeComment> AppHarness::comments(int number) const { return github.comments(k_repo, number); }

}  // namespace pw::test
