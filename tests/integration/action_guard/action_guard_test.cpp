// integration.action_guard: the real binary in `action` mode without a token, and `run` without
// a token or repository, against an endpoint on loopback and the fake GitHub.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <support/e2e/binary_sandbox.hpp>
#include <support/e2e/http_endpoint.hpp>

#include <doctest/doctest.h>
#include <httplib.h>

#include <filesystem>
#include <set>

using pw::test::BinarySandbox;
using pw::test::ProcessResult;

namespace {

const pw::test::BinaryPaths k_binaries{PROBEWATCH_BINARY, RUSAGE_EXEC_BINARY};

constexpr const char* k_no_token =
    "no GitHub token: set the action's `token:` input (its default is ${{ github.token }}) and give the job "
    "`permissions: issues: write`; to keep incidents in a file instead, set `tracker: local:PATH`";

// Every file and folder under the sandbox, relative to it.
std::set<std::string> files_in(const BinarySandbox& s) {
  std::set<std::string> out;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(s.path(""))) {
    out.insert(std::filesystem::relative(entry.path(), s.path("")).string());
  }
  return out;
}

std::map<std::string, std::string> action_env(const BinarySandbox& s) {
  return {{"GITHUB_ACTIONS", "true"},
          {"GITHUB_TOKEN", ""},
          {"INPUT_CONFIG", "probewatch.yml"},
          {"INPUT_REPORT-PATH", "report.json"},
          {"INPUT_API-URL", s.server.url()},
          {"GITHUB_OUTPUT", s.path("output.txt").string()},
          {"GITHUB_STEP_SUMMARY", s.path("summary.md").string()}};
}

}  // namespace

TEST_CASE("action guard: no token is exit 2 naming the input and the permission, and no file is written") {
  pw::test::HttpEndpoint up(
      [](const httplib::Request&, httplib::Response& response) { response.set_content("ok", "text/plain"); });
  BinarySandbox s(k_binaries);
  s.write_file("probewatch.yml", "checks:\n  - name: Up\n    url: " + up.url("/health") + "\n");
  const std::set<std::string> before = files_in(s);

  SUBCASE("tracker empty (the default) or github") {
    for (const std::string tracker : {"", "github"}) {
      auto env = action_env(s);
      env["INPUT_TRACKER"] = tracker;
      const ProcessResult result = s.run({"action"}, env);
      INFO("tracker \"" << tracker << "\": " << result.describe());
      CHECK(result.exit_code == 2);
      CHECK(result.out == std::string("::error title=probewatch::") + k_no_token + "\n");
      CHECK(result.err == std::string("probewatch: ") + k_no_token + "\n");
      CHECK(files_in(s) == before);
      CHECK(s.github.requests().empty());
    }
  }
  SUBCASE("tracker: local:PATH, asked for, keeps incidents in that file") {
    auto env = action_env(s);
    env["INPUT_TRACKER"] = "local:incidents.json";
    const ProcessResult result = s.run({"action"}, env);
    INFO(result.describe());
    CHECK(result.exit_code == 0);
    CHECK(std::filesystem::exists(s.path("incidents.json")));
    CHECK(result.err.find("keeping incidents") == std::string::npos);
    CHECK(s.github.requests().empty());
  }
}

TEST_CASE("action guard: run outside the action says exactly what is missing") {
  pw::test::HttpEndpoint up(
      [](const httplib::Request&, httplib::Response& response) { response.set_content("ok", "text/plain"); });
  BinarySandbox s(k_binaries);
  s.write_file("probewatch.yml", "checks:\n  - name: Up\n    url: " + up.url("/health") + "\n");
  const std::string tail = " set; keeping incidents in .probewatch/issues.json (local tracker)\n";
  SUBCASE("no token") {
    const ProcessResult result = s.run({"run", "--config", "probewatch.yml"}, {{"GITHUB_TOKEN", ""}});
    CHECK(result.exit_code == 0);
    CHECK(result.err == "probewatch: no token (GITHUB_TOKEN or PROBEWATCH_TOKEN)" + tail);
  }
  SUBCASE("no repository") {
    const ProcessResult result = s.run({"run", "--config", "probewatch.yml"}, {{"GITHUB_REPOSITORY", ""}});
    CHECK(result.exit_code == 0);
    CHECK(result.err == "probewatch: no repository (--repo or GITHUB_REPOSITORY)" + tail);
  }
  SUBCASE("neither") {
    const ProcessResult result =
        s.run({"run", "--config", "probewatch.yml"}, {{"GITHUB_TOKEN", ""}, {"GITHUB_REPOSITORY", ""}});
    CHECK(result.exit_code == 0);
    CHECK(result.err ==
          "probewatch: no token (GITHUB_TOKEN or PROBEWATCH_TOKEN) and no repository (--repo or GITHUB_REPOSITORY)" +
              tail);
  }
  CHECK(s.github.requests().empty());
}
