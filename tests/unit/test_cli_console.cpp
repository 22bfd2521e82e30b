// What a person reads: `run` on a terminal (one line per change, a summary, bodies only with
// --verbose) and `action` in a workflow log (evidence folded in groups, annotations capped).
#include <support/app/app_harness.hpp>

#include <doctest/doctest.h>

#include <fmt/format.h>

#include <fstream>
#include <sstream>

using pw::test::AppHarness;

namespace {

std::string url_of(int i) { return fmt::format("http://svc{}.test/health", i); }

// `failing` checks answer 404, then two more answer 200.
struct Fleet : AppHarness {
  explicit Fleet(int failing) {
    std::string yaml = "defaults: { retries: 0 }\nchecks:\n";
    for (int i = 0; i < failing + 2; ++i) {
      yaml += fmt::format("  - name: Service {}\n    url: {}\n    expect: {{ status: 200 }}\n", i, url_of(i));
      prober.set_status(url_of(i), i < failing ? 404 : 200);
    }
    write_config(yaml);
  }
};

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    lines.push_back(line);
  }
  return lines;
}

std::size_t count_starting(const std::vector<std::string>& lines, std::string_view prefix) {
  return static_cast<std::size_t>(
      std::count_if(lines.begin(), lines.end(), [&](const std::string& line) { return line.starts_with(prefix); }));
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

TEST_CASE("console: 13 failures print one line per change and a summary, bodies only with --verbose") {
  Fleet fleet(13);
  const auto result =
      fleet.run({"run", "--config", "probewatch.yml", "--tracker", "local:issues.json", "--no-progress"});
  CHECK(result.exit_code == 1);
  const auto lines = lines_of(result.out);
  INFO(result.out);
  // The table (header, 15 rows, its total), a blank line, 13 changes, the summary, the pointer to show.
  CHECK(lines.size() == 1 + 15 + 1 + 1 + 13 + 1 + 1);
  CHECK(lines[1] == "FAIL     Service 0   404     12ms  status 404 not in [200]");
  CHECK(lines[16] == "15 checks, 13 failing");
  CHECK(count_starting(lines, "opened #") == 13);
  CHECK(lines[18] == "opened #1 Service 0 is failing: status 404 not in [200] issues.json#1");
  CHECK(lines[31] == "issues: 13 opened; 13 of 15 checks failing");
  CHECK(lines[32] == "a whole incident: probewatch show NUMBER --tracker local:issues.json (or run with --verbose)");
  CHECK(result.out.find("<!--") == std::string::npos);  // no marker, no body

  fleet.clock.advance(std::chrono::minutes(5));
  for (int i = 0; i < 13; ++i) {
    fleet.prober.set_status(url_of(i), 200);
  }
  const auto recovered =
      fleet.run({"run", "--config", "probewatch.yml", "--tracker", "local:issues.json", "--no-progress", "--verbose"});
  CHECK(recovered.exit_code == 0);
  const auto after = lines_of(recovered.out);
  CHECK(count_starting(after, "closed #") == 13);
  CHECK(recovered.out.find("closed #1 Service 0: recovered after 5m issues.json#1\n") != std::string::npos);
  CHECK(recovered.out.find("issues: 13 closed; 0 of 15 checks failing\n") != std::string::npos);
  // --verbose: each closed issue's heading and its closing comment follow.
  CHECK(count_starting(after, "#1 [closed: completed] Service 0 is failing") == 1);
  CHECK(count_starting(after, "**Recovered after 5m") == 13);
}

TEST_CASE("console: one check is \"1 check\"; a quiet run says there were no issue changes") {
  Fleet fleet(0);
  fleet.write_config("checks:\n  - name: Only\n    url: " + url_of(0) + "\n");
  auto result = fleet.run({"run", "--config", "probewatch.yml", "--tracker", "local:issues.json", "--no-progress"});
  CHECK(result.out.find("\n1 check, 0 failing\n") != std::string::npos);
  CHECK(result.out.ends_with("\nno issue changes; 0 of 1 check failing\n"));
}

TEST_CASE("action: evidence folded in groups, 10 error annotations and one that says how many more") {
  Fleet fleet(14);
  fleet.env["INPUT_CONFIG"] = "probewatch.yml";
  fleet.env["INPUT_TRACKER"] = "local:issues.json";
  fleet.env["GITHUB_STEP_SUMMARY"] = fleet.path("summary.md").string();
  const auto result = fleet.run({"action"});
  CHECK(result.exit_code == 1);
  INFO(result.out);
  const auto lines = lines_of(result.out);

  // Every failing check's evidence is one group; nothing of it outside, and commands inside are stopped.
  CHECK(count_starting(lines, "::group::Evidence: Service ") == 14);
  CHECK(count_starting(lines, "::endgroup::") == 14);
  bool inside = false;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (lines[i].starts_with("::group::")) {
      CHECK_FALSE(inside);
      inside = true;
      REQUIRE(i + 1 < lines.size());
      CHECK(lines[i + 1].starts_with("::stop-commands::probewatch-"));
      CHECK(lines[i + 2] == "http://svc" + lines[i].substr(27) + ".test/health status 404 not in [200]");
    } else if (lines[i] == "::endgroup::") {
      CHECK(inside);
      inside = false;
    } else if (lines[i].starts_with("::error") || lines[i].starts_with("::notice")) {
      CHECK_FALSE(inside);
    }
  }
  CHECK_FALSE(inside);

  CHECK(count_starting(lines, "::error ") == 10);
  CHECK(count_starting(lines, "::error title=Service 0::status 404 not in [200]") == 1);
  CHECK(count_starting(lines, "::error title=Service 10::") == 0);
  CHECK(count_starting(lines, "::notice title=Incident opened::") == 10);
  CHECK(count_starting(lines, "::warning ") == 1);
  CHECK(result.out.find("::warning title=probewatch::4 more failing checks and 4 more incident changes not annotated "
                        "(GitHub shows 10 per step); the job summary lists every check and change\n") !=
        std::string::npos);
  // No whole issue bodies in the log.
  CHECK(result.out.find("<!--") == std::string::npos);

  // The job summary is the full picture: every check and every change, with its link.
  const std::string summary = read_file(fleet.path("summary.md"));
  CHECK(summary.starts_with("## probewatch: 14 of 16 checks failing\n"));
  for (int i = 1; i <= 14; ++i) {
    CHECK(summary.find(fmt::format("- opened #{} Service {} is failing: ", i, i - 1)) != std::string::npos);
  }
  CHECK(summary.find("| ❌ | Service 13 |") != std::string::npos);
}

TEST_CASE("action: at most 10 annotations of a kind, no warning when none were left out") {
  Fleet fleet(10);
  fleet.env["INPUT_CONFIG"] = "probewatch.yml";
  fleet.env["INPUT_TRACKER"] = "local:issues.json";
  const auto result = fleet.run({"action"});
  const auto lines = lines_of(result.out);
  CHECK(count_starting(lines, "::error ") == 10);
  CHECK(count_starting(lines, "::notice ") == 10);
  CHECK(count_starting(lines, "::warning ") == 0);
}

TEST_CASE("console: on GitHub each change links its issue, and the job summary links it too") {
  Fleet fleet(1);
  fleet.env["INPUT_CONFIG"] = "probewatch.yml";
  fleet.env["GITHUB_STEP_SUMMARY"] = fleet.path("summary.md").string();
  const auto result = fleet.run({"action"});
  const int number = fleet.open_incidents().at(0).number;
  const std::string url = fmt::format("https://github.com/octo/app/issues/{}", number);
  CHECK(result.out.find(fmt::format("\nopened #{} Service 0 is failing: status 404 not in [200] {}\n", number, url)) !=
        std::string::npos);
  CHECK(result.out.find("\nissues: 1 opened; 1 of 3 checks failing\n") != std::string::npos);
  CHECK(read_file(fleet.path("summary.md"))
            .find(fmt::format("- opened [#{}]({}) Service 0 is failing: status 404 not in \\[200\\]\n", number, url)) !=
        std::string::npos);
}
