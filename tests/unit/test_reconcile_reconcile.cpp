#include <bot/reconcile/reconcile.hpp>

#include <doctest/doctest.h>

using namespace std::chrono_literals;
using pw::ActionKind;
using pw::CommentReason;
using Status = pw::CheckMemory::Status;

namespace {

const pw::TimePoint k_t0 = std::chrono::sys_days{std::chrono::year{2026} / 11 / 27} + 12h;

pw::CheckOutcome ok(std::string id) { return {std::move(id), true, ""}; }
pw::CheckOutcome bad(std::string id, std::string signature = "status:404") {
  return {std::move(id), false, std::move(signature)};
}

pw::TrackedIncident incident(int number, std::string check, std::string signature = "status:404",
                             pw::TimePoint first_seen = k_t0) {
  pw::IncidentState state;
  state.check = std::move(check);
  state.first_seen = first_seen;
  state.last_seen = first_seen;
  state.runs_failed = 1;
  state.signature = std::move(signature);
  state.reported = state.signature;
  state.last_comment = first_seen;
  return {number, state};
}

pw::ReconcileInput input(std::vector<pw::CheckOutcome> outcomes, pw::TimePoint now = k_t0) {
  pw::ReconcileInput in;
  in.outcomes = std::move(outcomes);
  in.now = now;
  in.dashboard_issue = 1;
  in.dashboard = pw::DashboardState{};
  for (const auto& outcome : in.outcomes) {
    pw::CheckMemory memory;
    memory.since = k_t0 - 24h;
    in.dashboard->checks[outcome.id] = memory;
  }
  return in;
}

std::vector<ActionKind> kinds(const pw::Plan& plan) {
  std::vector<ActionKind> out;
  for (const auto& action : plan.actions) {
    out.push_back(action.kind);
  }
  return out;
}

}  // namespace

TEST_CASE("reconcile: a quiet run plans nothing") {
  auto in = input({ok("api"), ok("web")});
  const pw::Plan plan = pw::reconcile(in);
  CHECK(plan.empty());
  CHECK_FALSE(plan.dashboard_changed);
}

TEST_CASE("reconcile: a failing check opens one incident") {
  auto in = input({bad("api"), ok("web")});
  const pw::Plan plan = pw::reconcile(in);
  REQUIRE(kinds(plan) == std::vector{ActionKind::create});
  const pw::Action& create = plan.actions[0];
  CHECK(create.check == "api");
  CHECK(create.state.first_seen == k_t0);
  CHECK(create.state.runs_failed == 1);
  CHECK(create.state.signature == "status:404");
  CHECK(plan.dashboard_changed);
  CHECK(plan.dashboard.checks.at("api").status == Status::failing);
  CHECK(plan.dashboard.checks.count("web") == 0);  // passing with nothing to remember: not kept
}

TEST_CASE("reconcile: failure_threshold counts runs in the dashboard first") {
  auto in = input({bad("api")});
  in.policy.failure_threshold = 3;
  pw::Plan plan = pw::reconcile(in);
  CHECK(plan.actions.empty());
  CHECK(plan.dashboard.checks.at("api").status == Status::pending);
  CHECK(plan.dashboard.checks.at("api").streak == 1);

  in.dashboard = plan.dashboard;
  in.now = k_t0 + 5min;
  plan = pw::reconcile(in);
  CHECK(plan.actions.empty());
  CHECK(plan.dashboard.checks.at("api").streak == 2);

  in.dashboard = plan.dashboard;
  in.now = k_t0 + 10min;
  plan = pw::reconcile(in);
  REQUIRE(kinds(plan) == std::vector{ActionKind::create});
  CHECK(plan.actions[0].state.runs_failed == 3);
  CHECK(plan.actions[0].state.first_seen == k_t0);

  SUBCASE("a pass in between resets the count") {
    auto reset = input({ok("api")});
    reset.policy.failure_threshold = 3;
    reset.dashboard->checks["api"].status = Status::pending;
    reset.dashboard->checks["api"].streak = 2;
    const pw::Plan after = pw::reconcile(reset);
    CHECK(after.actions.empty());
    CHECK(after.dashboard.checks.count("api") == 0);
    CHECK(after.dashboard_changed);
  }
}

TEST_CASE("reconcile: an unchanged failing check costs nothing; the body is refreshed at most once per interval") {
  auto in = input({bad("api")}, k_t0 + 5min);
  in.incidents = {incident(7, "api")};
  in.dashboard->checks["api"].status = Status::failing;
  in.dashboard->checks["api"].since = k_t0;
  in.dashboard->checks["api"].incident = 7;

  SUBCASE("same failure within the refresh interval: nothing at all") {
    const pw::Plan plan = pw::reconcile(in);
    CHECK(plan.empty());
    CHECK_FALSE(plan.dashboard_changed);
  }
  SUBCASE("same failure once the refresh interval (6h) passed: one body update, no comment") {
    in.now = k_t0 + 6h;
    const pw::Plan plan = pw::reconcile(in);
    REQUIRE(kinds(plan) == std::vector{ActionKind::update});
    CHECK(plan.actions[0].issue == 7);
    CHECK(plan.actions[0].state.runs_failed == 2);
    CHECK(plan.actions[0].state.last_seen == k_t0 + 6h);
    CHECK_FALSE(plan.dashboard_changed);
  }
  SUBCASE("the refresh interval is the policy's") {
    in.policy.refresh = 3min;
    CHECK(kinds(pw::reconcile(in)) == std::vector{ActionKind::update});
  }
  SUBCASE("the failure changes kind soon after opening: the body shows it, the comment waits") {
    in.outcomes = {bad("api", "timeout")};
    const pw::Plan plan = pw::reconcile(in);
    REQUIRE(kinds(plan) == std::vector{ActionKind::update});
    CHECK(plan.actions[0].state.signature == "timeout");
    CHECK(plan.actions[0].state.reported == "status:404");
  }
  SUBCASE("the failure changes kind after the interval: one comment says so") {
    in.now = k_t0 + 2h;
    in.outcomes = {bad("api", "timeout")};
    const pw::Plan plan = pw::reconcile(in);
    REQUIRE(kinds(plan) == std::vector{ActionKind::update, ActionKind::comment});
    CHECK(plan.actions[1].comment == CommentReason::changed);
    CHECK(plan.actions[1].previous_signature == "status:404");
    CHECK(plan.actions[1].state.signature == "timeout");
    CHECK(plan.actions[1].state.reported == "timeout");
    CHECK(plan.actions[1].state.last_comment == k_t0 + 2h);
  }
  SUBCASE("the reminder interval passed") {
    in.now = k_t0 + 24h;
    const pw::Plan plan = pw::reconcile(in);
    REQUIRE(kinds(plan) == std::vector{ActionKind::update, ActionKind::comment});
    CHECK(plan.actions[1].comment == CommentReason::reminder);
    CHECK(plan.actions[1].state.last_comment == k_t0 + 24h);
  }
  SUBCASE("just before the reminder interval, right after a refresh") {
    in.incidents[0].state.last_seen = k_t0 + 20h;
    in.now = k_t0 + 24h - 1s;
    CHECK(pw::reconcile(in).empty());
  }
  SUBCASE("a marker from before owners is adopted with one write") {
    in.policy.config = "probewatch.yml";
    const pw::Plan plan = pw::reconcile(in);
    REQUIRE(kinds(plan) == std::vector{ActionKind::update});
    CHECK(plan.actions[0].state.config == "probewatch.yml");
  }
}

TEST_CASE("reconcile: a 502/503 flap over ten runs comments at most once per change_throttle interval") {
  auto in = input({bad("api", "status:502")}, k_t0);
  in.incidents = {incident(7, "api", "status:502")};
  in.dashboard->checks["api"].status = Status::failing;
  in.dashboard->checks["api"].incident = 7;
  int comments = 0;
  int updates = 0;
  for (int run = 1; run <= 10; ++run) {
    in.now = k_t0 + run * 5min;
    in.outcomes = {bad("api", run % 2 == 1 ? "status:503" : "status:502")};
    const pw::Plan plan = pw::reconcile(in);
    for (const pw::Action& action : plan.actions) {
      if (action.kind == ActionKind::comment) {
        ++comments;
      }
      if (action.kind == ActionKind::update) {
        ++updates;
        in.incidents[0].state = action.state;  // as the next run reads the marker back
      }
    }
  }
  CHECK(comments == 0);  // 50 minutes, inside one interval after opening
  CHECK(updates == 10);  // the body always shows the latest kind
  in.now = k_t0 + 61min;
  in.outcomes = {bad("api", "status:503")};
  const pw::Plan later = pw::reconcile(in);
  CHECK(kinds(later) == std::vector{ActionKind::update, ActionKind::comment});
}

TEST_CASE("reconcile: recovery closes after success_threshold passes") {
  auto in = input({ok("api")}, k_t0 + 2h);
  in.incidents = {incident(7, "api")};
  in.dashboard->checks["api"].status = Status::failing;
  in.dashboard->checks["api"].incident = 7;

  SUBCASE("threshold 1 closes at once") {
    const pw::Plan plan = pw::reconcile(in);
    REQUIRE(kinds(plan) == std::vector{ActionKind::close});
    CHECK(plan.actions[0].comment == CommentReason::recovered);
    CHECK(plan.actions[0].state_reason == "completed");
    const auto& memory = plan.dashboard.checks.at("api");
    CHECK(memory.status == Status::passing);
    CHECK(memory.closed == 7);
    CHECK(memory.closed_at == k_t0 + 2h);
    CHECK(memory.incident == 0);
  }
  SUBCASE("threshold 2 waits one more pass") {
    in.policy.success_threshold = 2;
    pw::Plan plan = pw::reconcile(in);
    REQUIRE(kinds(plan) == std::vector{ActionKind::update});
    CHECK(plan.actions[0].state.passes == 1);
    in.incidents[0].state = plan.actions[0].state;
    plan = pw::reconcile(in);
    CHECK(kinds(plan) == std::vector{ActionKind::close});
  }
}

TEST_CASE("reconcile: flapping reopens within the window, opens anew after it") {
  auto in = input({bad("api")}, k_t0 + 1h);
  in.dashboard->checks["api"].closed = 7;
  in.dashboard->checks["api"].closed_at = k_t0;

  CHECK(pw::reopen_targets(in) == std::vector<std::pair<int, std::string>>{{7, "api"}});
  SUBCASE("within reopen_window, the target checked as ours") {
    in.reopenable = {7};
    const pw::Plan plan = pw::reconcile(in);
    REQUIRE(kinds(plan) == std::vector{ActionKind::reopen});
    CHECK(plan.actions[0].issue == 7);
    CHECK(plan.actions[0].comment == CommentReason::reopened);
    CHECK(plan.dashboard.checks.at("api").incident == 7);
    CHECK(plan.dashboard.checks.at("api").closed == 0);
  }
  SUBCASE("the target is no longer ours (relabeled, edited, transferred): a new incident") {
    CHECK(kinds(pw::reconcile(in)) == std::vector{ActionKind::create});
  }
  SUBCASE("after reopen_window") {
    in.now = k_t0 + 6h + 1s;
    in.reopenable = {7};
    CHECK(pw::reopen_targets(in).empty());
    CHECK(kinds(pw::reconcile(in)) == std::vector{ActionKind::create});
  }
}

TEST_CASE("reconcile: a person's not-planned close mutes the check until it passes") {
  auto in = input({bad("api")}, k_t0 + 1h);
  in.dashboard->checks["api"].status = Status::failing;
  in.dashboard->checks["api"].incident = 7;
  CHECK(pw::needs_lookup(in) == std::vector<int>{7});
  in.vanished[7] = {pw::VanishedIncident::Fate::closed_not_planned, k_t0 + 30min};

  pw::Plan plan = pw::reconcile(in);
  CHECK(plan.actions.empty());
  CHECK(plan.dashboard.checks.at("api").status == Status::muted);
  CHECK(plan.dashboard.checks.at("api").muted_by == 7);

  SUBCASE("muted runs cost no lookup and change nothing") {
    in.dashboard = plan.dashboard;
    in.vanished.clear();
    CHECK(pw::needs_lookup(in).empty());
    const pw::Plan again = pw::reconcile(in);
    CHECK(again.actions.empty());
    CHECK_FALSE(again.dashboard_changed);
  }
  SUBCASE("one pass lifts the mute; the next failure opens a new incident") {
    in.dashboard = plan.dashboard;
    in.vanished.clear();
    in.outcomes = {ok("api")};
    const pw::Plan passed = pw::reconcile(in);
    CHECK(passed.dashboard.checks.count("api") == 0);
    in.dashboard = passed.dashboard;
    in.outcomes = {bad("api")};
    CHECK(kinds(pw::reconcile(in)) == std::vector{ActionKind::create});
  }
}

TEST_CASE("reconcile: a person's completed close while failing is reopened") {
  auto in = input({bad("api")}, k_t0 + 1h);
  in.dashboard->checks["api"].status = Status::failing;
  in.dashboard->checks["api"].incident = 7;
  in.vanished[7] = {pw::VanishedIncident::Fate::closed_completed, k_t0 + 50min};
  CHECK(pw::reopen_targets(in) == std::vector<std::pair<int, std::string>>{{7, "api"}});
  in.reopenable = {7};
  const pw::Plan plan = pw::reconcile(in);
  REQUIRE(kinds(plan) == std::vector{ActionKind::reopen});
  CHECK(plan.actions[0].issue == 7);
}

TEST_CASE("reconcile: duplicates keep the lowest number") {
  auto in = input({bad("api")});
  in.incidents = {incident(12, "api"), incident(9, "api"), incident(15, "api")};
  const pw::Plan plan = pw::reconcile(in);
  REQUIRE(kinds(plan) == std::vector{ActionKind::close_duplicate, ActionKind::close_duplicate});
  CHECK(plan.actions[0].issue == 12);
  CHECK(plan.actions[0].duplicate_of == 9);
  CHECK(plan.actions[0].state_reason == "duplicate");
  CHECK(plan.actions[1].issue == 15);
  CHECK(plan.dashboard.checks.at("api").incident == 9);
}

TEST_CASE("reconcile: incidents of removed checks are closed as not planned") {
  auto in = input({ok("web")});
  in.incidents = {incident(4, "old-check")};
  SUBCASE("closed by default") {
    const pw::Plan plan = pw::reconcile(in);
    REQUIRE(kinds(plan) == std::vector{ActionKind::close});
    CHECK(plan.actions[0].comment == CommentReason::removed);
    CHECK(plan.actions[0].state_reason == "not_planned");
  }
  SUBCASE("kept with keep_orphans") {
    in.policy.keep_orphans = true;
    CHECK(pw::reconcile(in).actions.empty());
  }
  SUBCASE("another config's incident, or one from before owners, is never closed") {
    in.policy.config = "monitor.yml";
    in.incidents = {incident(4, "old-check"), incident(5, "mine")};
    in.incidents[0].state.config = "";
    in.incidents[1].state.config = "monitor.yml";
    const pw::Plan plan = pw::reconcile(in);
    REQUIRE(kinds(plan) == std::vector{ActionKind::close});
    CHECK(plan.actions[0].issue == 5);
  }
}

TEST_CASE("reconcile: the dashboard") {
  SUBCASE("is created on the first run") {
    pw::ReconcileInput in;
    in.outcomes = {ok("api")};
    in.now = k_t0;
    const pw::Plan plan = pw::reconcile(in);
    CHECK(plan.dashboard_changed);
    CHECK(plan.dashboard_issue == 0);
    CHECK(plan.dashboard.checks.empty());
  }
  SUBCASE("is never written when disabled") {
    pw::ReconcileInput in;
    in.outcomes = {ok("api")};
    in.policy.dashboard = false;
    CHECK_FALSE(pw::reconcile(in).dashboard_changed);
  }
  SUBCASE("a new passing check costs nothing") {
    auto in = input({ok("api")});
    in.outcomes.push_back(ok("new"));
    CHECK_FALSE(pw::reconcile(in).dashboard_changed);
  }
  SUBCASE("ten thousand passing checks keep nothing but their hosts' fingerprints") {
    pw::ReconcileInput in;
    in.now = k_t0;
    in.dashboard_issue = 1;
    in.dashboard = pw::DashboardState{};
    for (int i = 0; i < 10000; ++i) {
      pw::CheckOutcome outcome = ok("check-" + std::to_string(i));
      outcome.host = "api.example.com";
      outcome.server = "nginx";
      in.outcomes.push_back(outcome);
    }
    const pw::Plan plan = pw::reconcile(in);
    CHECK(plan.dashboard.checks.empty());
    CHECK(plan.dashboard.hosts.size() == 1);
    CHECK(pw::format_marker(plan.dashboard).size() < 200);
    in.dashboard = plan.dashboard;
    CHECK_FALSE(pw::reconcile(in).dashboard_changed);
  }
  SUBCASE("sub-second clocks do not make every run a change") {
    auto in = input({ok("api")}, k_t0 + 250ms);
    in.outcomes.push_back(ok("new"));
    pw::Plan plan = pw::reconcile(in);
    in.dashboard = plan.dashboard;
    in.now = k_t0 + 5min + 700ms;
    CHECK_FALSE(pw::reconcile(in).dashboard_changed);
  }
}

TEST_CASE("reconcile: a check in maintenance opens nothing and is reminded of nothing") {
  const pw::Pause window{"Weekly deploy", k_t0 + 1h, 0};
  SUBCASE("failing without an incident: nothing opens, the memory waits") {
    auto in = input({bad("api")});
    in.policy.failure_threshold = 2;
    in.dashboard->checks["api"].status = Status::pending;
    in.dashboard->checks["api"].streak = 1;
    in.paused = {{"api", window}};
    const pw::Plan plan = pw::reconcile(in);
    CHECK(plan.actions.empty());
    CHECK(plan.dashboard.checks.at("api").streak == 1);
    CHECK(plan.paused == in.paused);
    in.paused.clear();
    CHECK(kinds(pw::reconcile(in)) == std::vector{ActionKind::create});
  }
  SUBCASE("failing with an open incident: no reminder, no refresh") {
    auto in = input({bad("api", "timeout")}, k_t0 + 48h);
    in.incidents = {incident(7, "api")};
    in.paused = {{"api", window}};
    CHECK(pw::reconcile(in).actions.empty());
    in.paused.clear();
    CHECK(kinds(pw::reconcile(in)) == std::vector{ActionKind::update, ActionKind::comment});
  }
  SUBCASE("a recovery still closes the incident") {
    auto in = input({ok("api")});
    in.incidents = {incident(7, "api")};
    in.paused = {{"api", window}};
    CHECK(kinds(pw::reconcile(in)) == std::vector{ActionKind::close});
  }
  SUBCASE("a recently closed incident is not looked up for a reopen") {
    auto in = input({bad("api")});
    in.dashboard->checks["api"].closed = 7;
    in.dashboard->checks["api"].closed_at = k_t0 - 1h;
    CHECK(pw::reopen_targets(in).size() == 1);
    in.paused = {{"api", window}};
    CHECK(pw::reopen_targets(in).empty());
  }
}

TEST_CASE("reconcile: a deploying check waits like one in maintenance, and a failure that outlives the grace counts") {
  const pw::Pause grace{"3f2a9c1 to production", k_t0 + 5min, 0, true};
  SUBCASE("the failing runs during the grace are not counted toward failure_threshold") {
    auto in = input({bad("api")});
    in.policy.failure_threshold = 2;
    in.paused = {{"api", grace}};
    pw::Plan plan = pw::reconcile(in);
    CHECK(plan.actions.empty());
    CHECK(plan.paused.at("api").deploy);
    CHECK(plan.dashboard.checks.count("api") == 0);  // nothing remembered: the count starts after the grace
    in.paused.clear();  // the grace has ended: the first failing run counts one, the second opens
    in.now = k_t0 + 6min;
    plan = pw::reconcile(in);
    CHECK(plan.actions.empty());
    REQUIRE(plan.dashboard.checks.count("api") == 1);
    CHECK(plan.dashboard.checks.at("api").status == Status::pending);
    in.dashboard = plan.dashboard;
    in.now = k_t0 + 11min;
    CHECK(kinds(pw::reconcile(in)) == std::vector{ActionKind::create});
  }
  SUBCASE("an open incident gets no reminder while its check is deploying; a recovery still closes it") {
    auto in = input({bad("api", "timeout")}, k_t0 + 48h);
    in.incidents = {incident(7, "api")};
    in.paused = {{"api", grace}};
    CHECK(pw::reconcile(in).actions.empty());
    in.outcomes = {ok("api")};
    CHECK(kinds(pw::reconcile(in)) == std::vector{ActionKind::close});
  }
}

TEST_CASE("reconcile: the dashboard remembers the newest rolling-out deployment") {
  pw::Deployment deployment;
  deployment.state = "success";
  deployment.sha = "3f2a9c1d4e5b6a7980112233445566778899aabb";
  deployment.created_at = k_t0 - 2min;
  auto in = input({ok("api")});
  in.deployment = deployment;
  pw::Plan plan = pw::reconcile(in);
  REQUIRE(plan.dashboard.deploy.has_value());
  CHECK(plan.dashboard.deploy->sha == deployment.sha);
  CHECK(plan.dashboard_changed);  // one edit records it
  in.dashboard = plan.dashboard;
  CHECK_FALSE(pw::reconcile(in).dashboard_changed);  // the same deployment again changes nothing

  pw::Deployment older = deployment;
  older.sha = "9d8e7f6a5b4c3d2e1f00112233445566778899aa";
  older.created_at = k_t0 - 1h;
  in.deployment = older;  // a late status of an older deployment does not replace the newer one
  CHECK(pw::reconcile(in).dashboard.deploy->sha == deployment.sha);
  pw::Deployment failed = deployment;
  failed.state = "failure";
  failed.sha = older.sha;
  failed.created_at = k_t0;
  in.deployment = failed;  // nor does a deployment that is not rolling out
  CHECK(pw::reconcile(in).dashboard.deploy->sha == deployment.sha);
  in.deployment.reset();  // a run without one keeps what is remembered
  CHECK(pw::reconcile(in).dashboard.deploy == in.dashboard->deploy);
}
