// `probewatch watch` in process: the real GitHub client over a fake GitHub, a fake clock that the
// interval waits advance, and a prober whose answers follow that clock.
#include <support/app/app_harness.hpp>
#include <support/fake_github/fake_transport.hpp>

#include <bot/action/inputs.hpp>
#include <bot/cli/app.hpp>
#include <bot/tracker/github_tracker.hpp>

#include <doctest/doctest.h>

#include <functional>
#include <sstream>

using namespace std::chrono_literals;
using pw::test::AppHarness;

namespace {

constexpr const char* k_watch_api = "http://api.test/health";

// Answers by the fake clock: `answer` gets the seconds since the watch started and the check.
class TimedProber final : public pw::Prober {
 public:
  TimedProber(pw::Clock& clock, std::function<int(long seconds)> status)
      : m_clock(clock), m_status(std::move(status)) {}
  pw::Evidence attempt(const pw::Check& check) override {
    const long seconds = std::chrono::duration_cast<std::chrono::seconds>(m_clock.now() - start).count();
    pw::Evidence evidence;
    evidence.url = check.url;
    evidence.status = m_status(seconds);
    evidence.response_time = 20ms;
    evidence.body = evidence.status == 200 ? "ok" : "down";
    return evidence;
  }
  pw::TimePoint start;

 private:
  pw::Clock& m_clock;
  std::function<int(long)> m_status;
};

struct WatchScenario : AppHarness {
  explicit WatchScenario(std::function<int(long)> status) : timed(clock, std::move(status)) {
    write_config(std::string("defaults: { retries: 0 }\nchecks:\n  - id: api\n    name: API\n    url: ") + k_watch_api +
                 "\n");
    timed.start = clock.now();
  }
  Result watch(std::vector<std::string> extra) {
    std::vector<std::string> args{"watch", "--config", path("probewatch.yml").string(), "--no-progress"};
    args.insert(args.end(), extra.begin(), extra.end());
    std::ostringstream out;
    std::ostringstream err;
    pw::AppContext context{
        env, clock, files, timed, [this] { return std::make_unique<pw::test::FakeTransport>(github); }, out, err};
    context.write_spacing = 0ms;
    const int code = pw::run_app(args, context);
    return {code, out.str(), err.str()};
  }
  TimedProber timed;
  pw::DiskFiles files;
};

}  // namespace

TEST_CASE("watch: opens and closes as run does; quiet cycles send no request; lists again every 5 minutes") {
  // Down from the third cycle (60 s) until 7 minutes in; 30 cycles at 30 s.
  std::vector<std::size_t> requests_at;  // requests logged by the time each cycle probes
  WatchScenario s([&](long seconds) { return seconds >= 60 && seconds < 420 ? 503 : 200; });
  const AppHarness::Result result = s.watch({"--interval", "30s", "--duration", "15m"});
  INFO(result.out << result.err);
  CHECK(result.exit_code == 0);  // the last cycle passed
  CHECK(result.out.find("probewatch: watching 1 check(s) every 30s for 15m; issues are listed again every 5m to "
                        "notice people's edits\n") != std::string::npos);
  CHECK(result.out.find("probewatch: watch ended after 30 cycle(s)\n") != std::string::npos);
  CHECK(result.err.empty());

  const auto issues = s.github.issues(AppHarness::k_repo);
  REQUIRE(issues.size() == 2);  // the dashboard and one incident
  const pw::test::FakeIssue& incident = issues[0].title == "API is failing" ? issues[0] : issues[1];
  CHECK(incident.state == "closed");
  CHECK(s.comments(incident.number).size() == 1);  // the recovery note, nothing between
  // What 30 cycles cost: the first list, the label and the dashboard (a create: the next cycle
  // lists for real); the open: a create, its duplicate recheck (a list) and the dashboard; a list
  // 5 minutes after the last (at 6 and 11 minutes); the close: read comments, comment, read them
  // again (a racing run's copy would be deleted), close, and the dashboard. Nothing else: the quiet cycles in between
  // cost nothing, where `run` every 30 s would have listed at least 30 times.
  std::vector<std::string> sent;
  for (const pw::test::LoggedRequest& request : s.github.requests()) {
    sent.push_back(request.method + " " + request.operation);
  }
  CHECK(sent == std::vector<std::string>{"GET list_issues", "POST create_label", "POST create_issue", "GET list_issues",
                                         "POST create_issue", "GET list_issues", "PATCH update_issue",
                                         "GET list_issues", "GET list_comments", "POST create_comment",
                                         "GET list_comments", "PATCH update_issue", "PATCH update_issue",
                                         "GET list_issues"});
}

TEST_CASE("watch: a person's mute is noticed at the next re-list, and the check stays quiet") {
  int incident = 0;
  github::ClientOptions options;
  options.api_url = "https://api.github.com";
  options.token = AppHarness::k_token;
  options.write_spacing = 0ms;
  WatchScenario* scenario = nullptr;
  bool muted = false;
  WatchScenario s([&](long seconds) {
    // Two minutes in, a person closes the open incident as not planned (a mute).
    if (seconds >= 120 && !muted) {
      muted = true;
      for (const pw::test::FakeIssue& issue : scenario->open_incidents()) {
        incident = issue.number;
        pw::test::FakeTransport transport(scenario->github);
        github::Client client(options, transport, scenario->clock);
        pw::GitHubTracker person(client, AppHarness::k_repo);
        github::IssueUpdate close;
        close.state = "closed";
        close.state_reason = "not_planned";
        REQUIRE(person.update(issue.number, close).has_value());
      }
    }
    return 503;
  });
  scenario = &s;
  const AppHarness::Result result = s.watch({"--interval", "30s", "--duration", "12m"});
  INFO(result.out << result.err);
  CHECK(result.exit_code == 1);
  REQUIRE(incident != 0);
  CHECK(s.open_incidents().empty());  // muted: never reopened, no new incident
  const auto issues = s.github.issues(AppHarness::k_repo);
  CHECK(issues.size() == 2);
  // The memory learns of the mute when the list is read again, 5 minutes after the first.
  const auto dashboard =
      std::find_if(issues.begin(), issues.end(), [&](const pw::test::FakeIssue& i) { return i.number != incident; });
  REQUIRE(dashboard != issues.end());
  CHECK(dashboard->body->find("muted") != std::string::npos);
}

TEST_CASE("watch: usage errors") {
  WatchScenario s([](long) { return 200; });
  CHECK(s.watch({"--interval", "500ms", "--duration", "1m"}).err ==
        "probewatch: --interval must be at least 1s, not 500ms\n");
  CHECK(s.watch({"--interval", "10s", "--duration", "5s"}).err ==
        "probewatch: --duration must be at least 10s, not 5s\n");
  const AppHarness::Result bad = s.watch({"--interval", "ten", "--duration", "1m"});
  CHECK(bad.exit_code == 2);
  CHECK(bad.err.starts_with("probewatch: --interval: "));
  CHECK(s.watch({"--interval", "10s", "--duration", "1m", "--wait", "1m"}).err ==
        "probewatch: watch takes no --wait: it probes every --interval anyway; use run --wait after a deploy\n");
  CHECK(s.github.requests().empty());
}

TEST_CASE("watch: the action's watch and interval inputs; outputs and summary cover every cycle") {
  // Down from the second cycle (1 minute) on, up again at 3 minutes; 5 cycles at 1 minute.
  WatchScenario s([](long seconds) { return seconds >= 60 && seconds < 180 ? 503 : 200; });
  s.env["INPUT_CONFIG"] = s.path("probewatch.yml").string();
  s.env["INPUT_WATCH"] = "5m";
  s.env["INPUT_INTERVAL"] = "1m";
  s.env["INPUT_REPORT-PATH"] = s.path("report.json").string();
  s.env["GITHUB_OUTPUT"] = s.path("outputs.txt").string();
  s.env["GITHUB_STEP_SUMMARY"] = s.path("summary.md").string();
  std::ostringstream out;
  std::ostringstream err;
  pw::AppContext context{
      s.env, s.clock, s.files, s.timed, [&] { return std::make_unique<pw::test::FakeTransport>(s.github); }, out, err};
  context.write_spacing = 0ms;
  const int code = pw::run_app({"action"}, context);
  INFO(out.str() << err.str());
  CHECK(code == 0);
  CHECK(out.str().find("probewatch: watch ended after 5 cycle(s)\n") != std::string::npos);
  const auto outputs = s.files.read(s.path("outputs.txt").string());
  REQUIRE(outputs.has_value());
  const auto issues = s.github.issues(AppHarness::k_repo);
  REQUIRE(issues.size() == 2);
  const int incident = issues[0].title == "API is failing" ? issues[0].number : issues[1].number;
  const std::string number = std::to_string(incident);
  CHECK(outputs->find("opened<<probewatch_EOF\n" + number + "\nprobewatch_EOF\n") != std::string::npos);
  CHECK(outputs->find("closed<<probewatch_EOF\n" + number + "\nprobewatch_EOF\n") != std::string::npos);
  CHECK(outputs->find("failing<<probewatch_EOF\n0\nprobewatch_EOF\n") != std::string::npos);
}

TEST_CASE("watch: bad action inputs are named") {
  CHECK(pw::read_action_inputs({{"INPUT_WATCH", "forever"}}).error().message ==
        "input watch: invalid duration \"forever\"; write it like 250ms, 10s, 5m or 1h");
  CHECK(pw::read_action_inputs({{"INPUT_INTERVAL", "often"}}).error().message ==
        "input interval: invalid duration \"often\"; write it like 250ms, 10s, 5m or 1h");
  CHECK(pw::read_action_inputs({{"INPUT_WATCH", "1h"}, {"INPUT_WAIT", "5m"}}).error().message ==
        "inputs watch and wait do not go together: watch probes every interval anyway");
  const auto defaults = pw::read_action_inputs({});
  CHECK(defaults->watch.empty());
  CHECK(defaults->interval == "30s");
}
