// integration.engine_edges: GitHub's real answers through the real probewatch binary, against the
// fake GitHub on loopback and a local service whose answers the test sets. A transferred (301) and
// a deleted (410) incident (still failing, or recovered), labels GitHub dropped on create, forged
// markers, a person's labeled issue and labeled pull requests, and a close cut off after its
// comment (refused, or the run killed), each finished or handled as the README says, and nothing
// of a person's ever written.
// Outcomes only: issue states, comments, bodies, exit codes, messages and which issues were
// written, never the exact reads a run makes.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <support/e2e/binary_sandbox.hpp>
#include <support/e2e/http_endpoint.hpp>

#include <doctest/doctest.h>
#include <fmt/format.h>
#include <httplib.h>

#include <atomic>
#include <charconv>
#include <csignal>
#include <map>
#include <thread>

using namespace std::chrono_literals;
using pw::test::BinarySandbox;
using pw::test::FakeIssue;
using pw::test::FaultKind;
using pw::test::FaultRule;
using pw::test::LoggedRequest;
using pw::test::ProcessResult;

namespace {

const pw::test::BinaryPaths k_binaries{PROBEWATCH_BINARY, RUSAGE_EXEC_BINARY};
constexpr const char* k_where = "octo/e2e on GitHub";

// /svc/N answers `down` (503) while N < `failing`, else 200.
struct Service {
  std::atomic<int> failing{0};
  std::atomic<int> down{503};
  pw::test::HttpEndpoint endpoint{[this](const httplib::Request& request, httplib::Response& response) {
    int n = -1;
    if (request.path.starts_with("/svc/")) {
      std::from_chars(request.path.data() + 5, request.path.data() + request.path.size(), n);
    }
    response.status = n < 0 ? 404 : n < failing.load() ? down.load() : 200;
    response.set_content(response.status == 200 ? "ok" : "down", "text/plain");
  }};
};

std::string config_of(const Service& service, int checks) {
  std::string yaml = "defaults: { timeout: 10s, retries: 0 }\nchecks:\n";
  for (int i = 0; i < checks; ++i) {
    yaml += fmt::format("  - id: svc-{}\n    url: {}\n", i, service.endpoint.url(fmt::format("/svc/{}", i)));
  }
  return yaml;
}

// A fault on every edit (PATCH) of issue `number`, however often it is tried.
FaultRule every_edit_of(int number, FaultKind fault) {
  FaultRule rule;
  rule.fault = fault;
  rule.method = "PATCH";
  rule.path = fmt::format("/repos/{}/issues/{}", BinarySandbox::k_repo, number);
  rule.times = 0;
  return rule;
}

bool is_write(const LoggedRequest& request) { return request.method != "GET" && request.method != "HEAD"; }

// The issue number a request's path is about (/repos/o/r/issues/N...), 0 when none.
int issue_of(const LoggedRequest& request) {
  const std::string prefix = fmt::format("/repos/{}/issues/", BinarySandbox::k_repo);
  if (!request.path.starts_with(prefix)) {
    return 0;
  }
  int number = 0;
  const char* begin = request.path.data() + prefix.size();
  const char* end = request.path.data() + request.path.size();
  const auto [stop, error] = std::from_chars(begin, end, number);
  return error == std::errc{} && (stop == end || *stop == '/') ? number : 0;
}

struct Engine : BinarySandbox {
  Engine() : BinarySandbox(k_binaries) { write_file("probewatch.yml", config_of(service, 1)); }

  // One `probewatch run`; the writes it sent are added to `writes`, by issue number.
  int step() {
    github.clear_requests();
    last = run({"run", "--config", "probewatch.yml"});
    count_writes();
    MESSAGE("run " << ++runs << ": " << last.describe() << ", " << last.wall.count() << " ms");
    INFO("stdout:\n" << last.out.substr(0, 4000) << "\nstderr:\n" << last.err.substr(0, 4000));
    CHECK_FALSE(last.timed_out);
    CHECK(last.signal == 0);
    CHECK(last.err.find("internal error") == std::string::npos);
    return last.exit_code;
  }

  void count_writes() {
    for (const LoggedRequest& request : github.requests()) {
      if (is_write(request)) {
        writes[issue_of(request)] += 1;
      }
    }
  }

  // Writes sent to issue `number` (its body, state, comments or labels) over every run so far.
  int writes_to(int number) const {
    const auto found = writes.find(number);
    return found != writes.end() ? found->second : 0;
  }

  bool said(const std::string& line) const { return last.err.find(line + "\n") != std::string::npos; }

  FakeIssue issue(int number) const {
    auto found = github.issue(k_repo, number);
    REQUIRE(found.has_value());
    return *found;
  }

  // The one open incident of svc-0 still in this repository (not transferred, not deleted).
  int open_incident() const {
    std::vector<int> numbers;
    for (const FakeIssue& found : incidents("svc-0")) {
      if (found.transferred_to.empty() && !found.deleted) {
        numbers.push_back(found.number);
      }
    }
    REQUIRE(numbers.size() == 1);
    return numbers.front();
  }

  Service service;
  ProcessResult last;
  int runs = 0;
  std::map<int, int> writes;
};

// A person's issue must be just as it was seeded: same state, body and labels, no comment of ours.
void check_untouched(const Engine& s, int number, const std::string& body, const std::vector<std::string>& labels,
                     std::size_t comments = 0) {
  INFO("issue #" << number);
  const FakeIssue issue = s.issue(number);
  CHECK(s.writes_to(number) == 0);
  CHECK(issue.state == "open");
  CHECK(issue.body == body);
  CHECK(issue.labels == labels);
  CHECK(s.comments(number).size() == comments);
}

}  // namespace

TEST_CASE("engine edges: a transferred incident (301) is gone here, said once, and never written again") {
  Engine s;
  s.service.failing = 1;
  CHECK(s.step() == 1);
  const int moved = s.open_incident();
  const std::string body = *s.issue(moved).body;
  s.github.transfer_issue(BinarySandbox::k_repo, moved, "octo/elsewhere");
  s.writes.clear();

  // Still failing: the lookup answers 301, the run warns and opens a new incident here.
  CHECK(s.step() == 1);
  CHECK(
      s.said(fmt::format("probewatch: warning: incident #{} was transferred to another repository; probewatch "
                         "treats it as gone here",
                         moved)));
  const int here = s.open_incident();
  CHECK(here != moved);
  CHECK(s.issue(here).author == "github-actions[bot]");

  // The next runs know the new one: no warning again, and the recovery closes it, not the moved one.
  CHECK(s.step() == 1);
  CHECK(s.last.err.find("transferred") == std::string::npos);
  s.service.failing = 0;
  CHECK(s.step() == 0);
  CHECK(s.issue(here).state == "closed");
  CHECK(s.issue(here).state_reason == "completed");
  REQUIRE(s.comments(here).size() == 1);
  CHECK(s.comments(here)[0].body.starts_with("**Recovered after "));

  CHECK(s.writes_to(moved) == 0);
  CHECK(s.issue(moved).state == "open");
  CHECK(*s.issue(moved).body == body);
  CHECK(s.comments(moved).empty());
}

TEST_CASE("engine edges: a deleted incident (410) is gone; a still failing check gets a new one") {
  Engine s;
  s.service.failing = 1;
  CHECK(s.step() == 1);
  const int deleted = s.open_incident();
  s.github.delete_issue(BinarySandbox::k_repo, deleted);
  s.writes.clear();

  CHECK(s.step() == 1);
  CHECK(s.last.err.find(fmt::format("#{}", deleted)) == std::string::npos);  // neither an error nor a warning
  const int replacement = s.open_incident();
  CHECK(replacement != deleted);
  CHECK(s.comments(replacement).empty());

  CHECK(s.step() == 1);  // the new one is remembered: the deleted one is not looked for again
  CHECK(s.open_incident() == replacement);
  s.service.failing = 0;
  CHECK(s.step() == 0);
  CHECK(s.issue(replacement).state == "closed");
  CHECK(s.issue(replacement).state_reason == "completed");
  CHECK(s.comments(replacement).size() == 1);
  CHECK(s.writes_to(deleted) == 0);
}

TEST_CASE("engine edges: an incident transferred or deleted before its check recovers is left alone") {
  for (const bool transfer : {true, false}) {
    INFO((transfer ? "transferred" : "deleted"));
    Engine s;
    s.service.failing = 1;
    CHECK(s.step() == 1);
    const int number = s.open_incident();
    if (transfer) {
      s.github.transfer_issue(BinarySandbox::k_repo, number, "octo/elsewhere");
    } else {
      s.github.delete_issue(BinarySandbox::k_repo, number);
    }
    s.writes.clear();
    s.service.failing = 0;
    CHECK(s.step() == 0);  // recovered: nothing here to close, nothing opened
    CHECK(s.said(fmt::format("probewatch: warning: incident #{} was transferred to another repository; probewatch "
                             "treats it as gone here",
                             number)) == transfer);
    CHECK(s.writes_to(number) == 0);
    CHECK(s.comments(number).empty());
    CHECK(s.issue(number).state == "open");
    CHECK(s.incidents("svc-0", "").size() == 1);
    CHECK(s.step() == 0);
    CHECK(s.last.err.find(fmt::format("#{}", number)) == std::string::npos);
  }
}

TEST_CASE("engine edges: a create whose labels GitHub dropped is reported as a permission problem") {
  Engine s;
  s.github.set_labels_allowed(BinarySandbox::k_repo, false);  // a token without push access
  s.service.failing = 1;
  CHECK(s.step() == 3);
  REQUIRE(s.incidents("svc-0").size() == 1);
  const FakeIssue incident = s.incidents("svc-0")[0];
  CHECK(incident.labels.empty());
  CHECK(s.said(fmt::format(
      "probewatch: GitHub dropped the label(s) probewatch from #{} in {}: the token may not set labels, so "
      "probewatch cannot find this issue again. Give the workflow `permissions: issues: write` (a fine-grained "
      "token needs Issues: read and write; a GitHub App, the Issues permission), then label #{} \"probewatch\" by "
      "hand",
      incident.number, k_where, incident.number)));
  // Nothing more is opened that the next run could not find: not the dashboard either.
  CHECK(s.open_dashboards().empty());
  CHECK(
      s.said(fmt::format("probewatch: did not open 1 more issue(s) (the dashboard) in {}: GitHub dropped the label "
                         "\"probewatch\" from the last one created, and an issue without it would be lost and "
                         "opened again by every run; the next run opens them once the token may set labels",
                         k_where)));

  // With the permission fixed and the label set by hand, as the message says, the incident is
  // found again: no second one, and its recovery closes it.
  s.github.set_labels_allowed(BinarySandbox::k_repo, true);
  REQUIRE(
      s.github
          .handle({"POST",
                   fmt::format("{}/repos/{}/issues/{}/labels", s.server.url(), BinarySandbox::k_repo, incident.number),
                   {{"Authorization", fmt::format("Bearer {}", BinarySandbox::k_token)}},
                   R"({"labels":["probewatch"]})"})
          .status == 200);
  CHECK(s.step() == 1);
  CHECK(s.incidents("svc-0").size() == 1);
  CHECK(s.open_dashboards().size() == 1);
  s.service.failing = 0;
  CHECK(s.step() == 0);
  CHECK(s.issue(incident.number).state == "closed");
  CHECK(s.comments(incident.number).size() == 1);
}

TEST_CASE("engine edges: forged markers, a person's labeled issue and labeled pull requests are never written") {
  Engine s;
  // A person's issue claiming to be svc-0's incident; one claiming to be the dashboard, which
  // remembers a recently closed incident (the forged one) for a reopen; a person's issue with the
  // label and no marker; and two pull requests with the label and an incident marker, one by a
  // person and one by github-actions[bot] (a workflow that opens pull requests writes as it too).
  const std::string incident_marker = R"(<!-- probewatch:v1 {"kind":"incident","check":"svc-0"} -->)";
  const std::vector<std::string> labels{"probewatch"};
  const int forged = s.github.add_issue(BinarySandbox::k_repo, {"svc-0 is failing", incident_marker, labels});
  s.github.add_comment(BinarySandbox::k_repo, forged, "is this real?");
  const std::string dashboard_marker = fmt::format(
      R"(<!-- probewatch:v1 {{"kind":"dashboard","checks":{{"svc-0":{{"status":"passing","closed":{},"closed_at":"{}"}}}}}} -->)",
      forged, "2099-01-01T00:00:00Z");
  const int fake_dashboard = s.github.add_issue(BinarySandbox::k_repo, {"Status", dashboard_marker, labels});
  const std::string question = "Why does svc-0 have a probewatch label?";
  const int plain = s.github.add_issue(BinarySandbox::k_repo, {"svc-0 question", question, labels});
  const int pull = s.github.add_pull_request(BinarySandbox::k_repo, {"Fix svc-0", incident_marker, labels});
  pw::test::SeedIssue bot_pull{"Bump svc-0", incident_marker, labels};
  bot_pull.author = "github-actions[bot]";
  const int bot_pull_number = s.github.add_pull_request(BinarySandbox::k_repo, bot_pull);

  s.service.failing = 1;
  CHECK(s.step() == 1);
  CHECK(s.said(fmt::format(
      "probewatch: warning: ignored 2 issue(s) whose probewatch marker was not written by a trusted author (#{} by "
      "octocat, #{} by octocat); if probewatch writes as that account now (a new token, a GitHub App or a personal "
      "token), add it to issues.trusted_authors",
      forged, fake_dashboard)));
  // Its own incident and its own dashboard, beside the forged ones.
  const auto first = s.incidents("svc-0");
  REQUIRE(first.size() == 2);
  const int ours = first[0].number == forged ? first[1].number : first[0].number;
  CHECK(s.issue(ours).author == "github-actions[bot]");
  const auto dashboards = s.open_dashboards();
  REQUIRE(dashboards.size() == 2);
  CHECK((dashboards[0].number == fake_dashboard ? dashboards[1] : dashboards[0]).author == "github-actions[bot]");

  // Recovery closes ours; failing again within the reopen window reopens ours, not the forged
  // dashboard's "closed" issue.
  s.service.failing = 0;
  CHECK(s.step() == 0);
  CHECK(s.issue(ours).state == "closed");
  s.service.failing = 1;
  CHECK(s.step() == 1);
  CHECK(s.issue(ours).state == "open");
  CHECK(s.issue(ours).state_reason == "reopened");
  REQUIRE(s.comments(ours).size() == 2);
  CHECK(s.comments(ours)[1].body.starts_with("**Failing again**"));

  check_untouched(s, forged, incident_marker, labels, 1);
  check_untouched(s, fake_dashboard, dashboard_marker, labels);
  check_untouched(s, plain, question, labels);
  for (const int number : {pull, bot_pull_number}) {
    check_untouched(s, number, incident_marker, labels);
    CHECK(s.issue(number).pull_request);
  }
}

TEST_CASE("engine edges: a close refused after its recovery comment is finished by the next run, with one comment") {
  Engine s;
  s.service.failing = 1;
  CHECK(s.step() == 1);
  const int number = s.open_incident();

  s.service.failing = 0;
  s.github.inject(every_edit_of(number, FaultKind::forbidden));
  CHECK(s.step() == 3);
  CHECK(s.said(
      fmt::format("probewatch: could not close #{0} (svc-0) in {1}: GitHub refused PATCH /repos/octo/e2e/issues/{0} "
                  "(403 Resource not accessible by integration): the workflow needs `permissions: issues: "
                  "write`, and pull requests from forks get a read-only token",
                  number, k_where)));
  CHECK(s.issue(number).state == "open");
  REQUIRE(s.comments(number).size() == 1);

  s.github.clear_faults();
  CHECK(s.step() == 0);
  CHECK(s.issue(number).state == "closed");
  CHECK(s.issue(number).state_reason == "completed");
  REQUIRE(s.comments(number).size() == 1);
  CHECK(s.comments(number)[0].body.starts_with("**Recovered after "));
  CHECK(s.step() == 0);  // and it stays closed with one comment
  CHECK(s.comments(number).size() == 1);
}

TEST_CASE("engine edges: a run killed after its recovery comment, while closing, is finished by the next run") {
  Engine s;
  s.service.failing = 1;
  CHECK(s.step() == 1);
  const int number = s.open_incident();

  // The close hangs (the fake holds the connection, every time it is tried) and the run is killed
  // there: the recovery comment is posted, the issue still open.
  s.service.failing = 0;
  FaultRule hang = every_edit_of(number, FaultKind::timeout);
  hang.delay = 3s;
  s.github.inject(hang);
  s.github.clear_requests();
  {
    pw::test::Process child(s.spec({"run", "--config", "probewatch.yml"}));
    // Real time: the binary runs on its own clock. Bounded, and polled, not slept through.
    const auto deadline = std::chrono::steady_clock::now() + 40s;
    bool closing = false;
    while (!closing && std::chrono::steady_clock::now() < deadline) {
      for (const LoggedRequest& request : s.github.requests()) {
        closing = closing || (request.method == "PATCH" && issue_of(request) == number && request.fault == "timeout");
      }
      if (!closing) {
        std::this_thread::sleep_for(20ms);
      }
    }
    REQUIRE(closing);
    ::kill(-child.pid(), SIGKILL);
    const ProcessResult killed = child.wait();
    CHECK(killed.signal == SIGKILL);
  }
  s.count_writes();
  CHECK(s.issue(number).state == "open");
  REQUIRE(s.comments(number).size() == 1);
  const std::string posted = s.comments(number)[0].body;

  s.github.clear_faults();
  CHECK(s.step() == 0);
  CHECK(s.issue(number).state == "closed");
  CHECK(s.issue(number).state_reason == "completed");
  REQUIRE(s.comments(number).size() == 1);
  CHECK(s.comments(number)[0].body == posted);
}

TEST_CASE("engine edges: a 502/503 flap over ten runs comments at most once per change_throttle interval") {
  Engine s;
  // A throttle of seconds, so the ten runs of this test span more than one interval.
  constexpr auto k_throttle = 4s;
  s.write_file("probewatch.yml", "issues: { change_throttle: 4s }\n" + config_of(s.service, 1));
  s.service.failing = 1;
  s.service.down = 502;
  CHECK(s.step() == 1);
  const int number = s.open_incident();
  const auto opened = s.issue(number).created_at;
  for (int run = 0; run < 10; ++run) {
    std::this_thread::sleep_for(700ms);
    s.service.down = run % 2 == 0 ? 503 : 502;
    CHECK(s.step() == 1);
    CHECK(s.open_incident() == number);  // one incident throughout
  }
  const auto elapsed = std::chrono::system_clock::now() - opened;
  std::vector<pw::test::FakeComment> changed;
  for (const auto& comment : s.comments(number)) {
    CHECK(comment.body.starts_with("**The failure changed.**"));  // no other comment while it flaps
    changed.push_back(comment);
  }
  MESSAGE(changed.size() << " changed comment(s) over "
                         << std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count() << " ms");
  CHECK_FALSE(changed.empty());  // more than an interval went by: the change is told
  // At most one per interval: each at least the throttle after the last comment (the opening
  // counts as one), so never more than the intervals that fit.
  auto last = opened;
  for (const auto& comment : changed) {
    // The throttle counts from each run's start; GitHub's times are when the comment landed, later
    // by up to the run's probing, in whole seconds.
    CHECK(comment.created_at - last >= k_throttle - 2s);
    last = comment.created_at;
  }
  CHECK(changed.size() <= static_cast<std::size_t>(elapsed / k_throttle) + 1);  // ten without the throttle
  // The body still shows the latest failure: the last run saw 502.
  CHECK(s.issue(number).body->find("status 502 not in") != std::string::npos);
}
