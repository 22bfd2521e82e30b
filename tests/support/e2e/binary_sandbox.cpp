#include <support/e2e/binary_sandbox.hpp>
#include <support/os.hpp>

#include <bot/reconcile/marker.hpp>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <variant>

namespace pw::test {

namespace {

FakeGitHubOptions fake_options() {
  FakeGitHubOptions options;
  options.web_url = BinarySandbox::k_web_url;
  return options;
}

}  // namespace

std::string read_text(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

BinarySandbox::BinarySandbox(BinaryPaths binaries)
    : paths(std::move(binaries)),
      github(clock, fake_options()),
      server(github),
      m_dir(make_temp_dir("probewatch-e2e")) {
  github.add_repo(k_repo);
  // Only this token is accepted: a run that sent anything else would fail with 401.
  github.add_token(k_token, "github-actions[bot]");
  server.start();
}

BinarySandbox::~BinarySandbox() {
  server.stop();
  std::error_code ignored;
  std::filesystem::remove_all(m_dir, ignored);
}

void BinarySandbox::write_file(const std::string& name, const std::string& text) const {
  std::ofstream out(path(name), std::ios::binary | std::ios::trunc);
  out << text;
  if (!out) {
    throw std::runtime_error("cannot write " + path(name).string());
  }
}

std::string BinarySandbox::read_file(const std::string& name) const { return read_text(path(name)); }

std::map<std::string, std::string> BinarySandbox::environment(const std::map<std::string, std::string>& extra) const {
  std::map<std::string, std::string> env = inherited_environment();
  env["HOME"] = m_dir.string();
  env["GITHUB_TOKEN"] = k_token;
  env["GITHUB_REPOSITORY"] = k_repo;
  env["GITHUB_API_URL"] = server.url();
  env["GITHUB_SERVER_URL"] = k_web_url;
  for (const auto& [name, value] : extra) {
    env[name] = value;
  }
  return env;
}

ProcessSpec BinarySandbox::spec(std::vector<std::string> args, const std::map<std::string, std::string>& extra,
                                std::chrono::milliseconds timeout) const {
  ProcessSpec spec;
  spec.argv.push_back(paths.probewatch);
  spec.argv.insert(spec.argv.end(), args.begin(), args.end());
  spec.env = environment(extra);
  spec.cwd = m_dir;
  spec.timeout = timeout;
  spec.rusage_exec = paths.rusage_exec;
  return spec;
}

ProcessResult BinarySandbox::run(std::vector<std::string> args, const std::map<std::string, std::string>& extra,
                                 std::chrono::milliseconds timeout) const {
  return run_process(spec(std::move(args), extra, timeout));
}

std::vector<FakeIssue> BinarySandbox::incidents(const std::string& check, const std::string& state) const {
  std::vector<FakeIssue> out;
  for (const FakeIssue& issue : github.issues(k_repo)) {
    if (!issue.body || (!state.empty() && issue.state != state)) {
      continue;
    }
    const auto marker = parse_marker(*issue.body);
    if (marker && std::holds_alternative<IncidentState>(*marker) && std::get<IncidentState>(*marker).check == check) {
      out.push_back(issue);
    }
  }
  return out;
}

std::vector<FakeIssue> BinarySandbox::open_dashboards() const {
  std::vector<FakeIssue> out;
  for (const FakeIssue& issue : github.issues(k_repo)) {
    if (issue.state != "open" || !issue.body) {
      continue;
    }
    const auto marker = parse_marker(*issue.body);
    if (marker && std::holds_alternative<DashboardState>(*marker)) {
      out.push_back(issue);
    }
  }
  return out;
}

}  // namespace pw::test
