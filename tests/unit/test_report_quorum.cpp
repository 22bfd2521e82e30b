// The fan-in run's pure core: vantage reports combined by quorum, unknown vantages (missing,
// stale, lacking the check) never counting as passing, and reconcile leaving a check without a
// verdict as it was.
#include <bot/reconcile/reconcile.hpp>
#include <bot/report/quorum.hpp>

#include <doctest/doctest.h>
#include <fmt/format.h>

using namespace std::chrono_literals;
using pw::VantageNetwork;
using pw::VantageState;

namespace {

const pw::TimePoint k_quorum_now = std::chrono::sys_days{std::chrono::year{2026} / 12 / 2} + 6h;

pw::CheckResult vantage_result(const std::string& id, int status) {
  pw::CheckResult result;
  result.id = id;
  result.ok = status < 400;
  result.attempts = 1;
  result.evidence.status = status;
  result.evidence.response_time = pw::Millis(40);
  result.evidence.addresses = {"203.0.113.7"};
  result.evidence.headers = {{"server", status < 400 ? "nginx" : "cloudflare"}};
  if (!result.ok) {
    result.failed.push_back({fmt::format("status:{}", status), fmt::format("status {} not in [200]", status)});
  }
  return result;
}

// A report of `vantage` in which every check answered `status`.
pw::VantageReport vantage_report(const std::string& vantage, int status, pw::TimePoint at = k_quorum_now - 5min,
                                 VantageNetwork network = VantageNetwork::unspecified) {
  pw::VantageReport report;
  report.file = fmt::format("reports/{}.json", vantage);
  report.vantage = vantage;
  report.network = network;
  report.generated_at = at;
  for (const char* id : {"api", "web"}) {
    report.results.emplace(id, vantage_result(id, status));
  }
  return report;
}

std::vector<pw::Check> quorum_checks() {
  pw::Check api;
  api.id = "api";
  pw::Check web;
  web.id = "web";
  return {api, web};
}

const std::vector<pw::VantageDeclaration> k_three_vantages{
    {"office", VantageNetwork::inside}, {"gh-eu", VantageNetwork::outside}, {"gh-us", VantageNetwork::outside}};

pw::QuorumResult combine_reports(const std::vector<pw::VantageReport>& reports, int quorum = 2,
                                 const std::vector<pw::Check>& checks = quorum_checks(),
                                 const std::vector<pw::VantageDeclaration>& declared = k_three_vantages) {
  pw::QuorumInput input{checks, declared, reports};
  input.default_quorum = quorum;
  input.now = k_quorum_now;
  input.max_age = 1h;
  auto combined = pw::combine_vantages(input);
  REQUIRE_MESSAGE(combined.has_value(), combined.error().message);
  return *combined;
}

std::vector<VantageState> vantage_states(const pw::CheckResult& result) {
  std::vector<VantageState> out;
  for (const pw::VantageRow& row : result.vantages->rows) {
    out.push_back(row.state);
  }
  return out;
}

}  // namespace

TEST_CASE("quorum: two failing vantages of three with quorum 2 fail the check, with every vantage's row") {
  const auto combined =
      combine_reports({vantage_report("office", 200), vantage_report("gh-eu", 503), vantage_report("gh-us", 502)});
  REQUIRE(combined.results.size() == 2);
  const pw::CheckResult& api = combined.results[0];
  CHECK(api.id == "api");
  CHECK_FALSE(api.ok);
  CHECK_FALSE(api.undecided());
  CHECK(api.vantages->failing == 2);
  CHECK(api.vantages->passing == 1);
  CHECK(api.vantages->unknown == 0);
  CHECK(api.vantages->evidence_from == "gh-eu");
  CHECK(*api.evidence.status == 503);  // the first failing vantage's evidence
  CHECK(api.failed.at(0).key == "status:503");
  CHECK(vantage_states(api) == std::vector{VantageState::pass, VantageState::fail, VantageState::fail});
  const pw::VantageRow& eu = api.vantages->rows[1];
  CHECK(eu.name == "gh-eu");
  CHECK(eu.network == VantageNetwork::outside);
  CHECK(eu.reason == "status 503 not in [200]");
  CHECK(*eu.status == 503);
  CHECK(eu.response_time == pw::Millis(40));
  CHECK(eu.addresses == std::vector<std::string>{"203.0.113.7"});
  CHECK(eu.server == "cloudflare");
  CHECK(api.vantages->rows[0].reason.empty());
  CHECK(combined.unknown.empty());
}

TEST_CASE("quorum: one failing vantage alone does not fail the check") {
  const auto combined =
      combine_reports({vantage_report("office", 200), vantage_report("gh-eu", 503), vantage_report("gh-us", 200)});
  const pw::CheckResult& api = combined.results[0];
  CHECK(api.ok);
  CHECK(api.vantages->decided);
  CHECK(api.vantages->failing == 1);
  CHECK(api.vantages->evidence_from == "office");
  CHECK(*api.evidence.status == 200);
}

TEST_CASE("quorum: quorum 1 fails the check on any failing vantage, the check's quorum: overrides --quorum") {
  const std::vector<pw::VantageReport> reports{vantage_report("office", 200), vantage_report("gh-eu", 503),
                                               vantage_report("gh-us", 200)};
  CHECK_FALSE(combine_reports(reports, 1).results[0].ok);
  auto checks = quorum_checks();
  checks[0].quorum = 1;
  const auto combined = combine_reports(reports, 2, checks);
  CHECK_FALSE(combined.results[0].ok);  // api: quorum 1
  CHECK(combined.results[0].vantages->quorum == 1);
  CHECK(combined.results[1].ok);  // web: --quorum 2
  CHECK(combined.results[1].vantages->quorum == 2);
}

TEST_CASE("quorum: a missing report is unknown, never passing") {
  SUBCASE("one pass, one fail, one missing: no verdict") {
    const auto combined = combine_reports({vantage_report("office", 200), vantage_report("gh-eu", 503)});
    const pw::CheckResult& api = combined.results[0];
    CHECK(api.undecided());
    CHECK_FALSE(api.ok);
    CHECK(vantage_states(api) == std::vector{VantageState::pass, VantageState::fail, VantageState::unknown});
    CHECK(api.vantages->rows[2].reason == "no report (its job did not run or uploaded none)");
    CHECK_FALSE(api.vantages->rows[2].generated_at.has_value());
    CHECK(api.vantages->evidence_from.empty());
    REQUIRE(api.failed.size() == 1);
    CHECK(api.failed[0].key == "quorum");
    CHECK(api.failed[0].message == "no verdict: 1 of 3 vantages failing, 1 passing, 1 unknown (quorum 2)");
    CHECK(
        combined.unknown ==
        std::vector<std::string>{"vantage gh-us: no report (its job did not run or uploaded none); counted as unknown, "
                                 "never as passing"});
  }
  SUBCASE("one pass and two missing: unknown does not make up a passing quorum") {
    const auto combined = combine_reports({vantage_report("office", 200)});
    CHECK(combined.results[0].undecided());
    CHECK(combined.unknown.size() == 2);
  }
  SUBCASE("two fail and one missing: the failing quorum is met") {
    const auto combined = combine_reports({vantage_report("gh-eu", 503), vantage_report("gh-us", 503)});
    CHECK_FALSE(combined.results[0].ok);
    CHECK_FALSE(combined.results[0].undecided());
    CHECK(combined.results[0].vantages->unknown == 1);
  }
  SUBCASE("two pass and one missing: the passing quorum is met") {
    const auto combined = combine_reports({vantage_report("office", 200), vantage_report("gh-us", 200)});
    CHECK(combined.results[0].ok);
    CHECK(combined.results[0].vantages->unknown == 1);
  }
  SUBCASE("every report missing: no verdict for any check") {
    const auto combined = combine_reports({});
    CHECK(combined.results[0].undecided());
    CHECK(combined.results[1].undecided());
    CHECK(combined.unknown.size() == 3);
  }
}

TEST_CASE("quorum: a stale report is unknown") {
  const auto combined = combine_reports({vantage_report("office", 200), vantage_report("gh-eu", 503),
                                         vantage_report("gh-us", 200, k_quorum_now - 61min)});
  const pw::CheckResult& api = combined.results[0];
  CHECK(api.undecided());
  CHECK(api.vantages->rows[2].state == VantageState::unknown);
  CHECK(api.vantages->rows[2].reason == "stale report from 2026-12-02T04:59:00Z, older than the 1h allowed");
  CHECK(*api.vantages->rows[2].generated_at == k_quorum_now - 61min);
  CHECK(combined.unknown == std::vector<std::string>{"vantage gh-us: stale report from 2026-12-02T04:59:00Z, older "
                                                     "than the 1h allowed; counted as unknown, never as passing"});
  // Exactly max_age old is still fresh.
  const auto fresh = combine_reports({vantage_report("office", 200), vantage_report("gh-eu", 503),
                                      vantage_report("gh-us", 200, k_quorum_now - 60min)});
  CHECK(fresh.results[0].ok);
}

TEST_CASE("quorum: a report without the check is unknown for that check only") {
  pw::VantageReport us = vantage_report("gh-us", 503);
  us.results.erase("web");
  const auto combined = combine_reports({vantage_report("office", 200), vantage_report("gh-eu", 503), us});
  CHECK_FALSE(combined.results[0].ok);
  CHECK(combined.results[1].undecided());
  CHECK(combined.results[1].vantages->rows[2].reason ==
        "its report has no such check (was it written with another config?)");
  CHECK(combined.unknown.empty());
}

TEST_CASE("quorum: reports of undeclared vantages count, with the network their report names") {
  const auto combined = combine_reports({vantage_report("lab", 503, k_quorum_now, VantageNetwork::inside),
                                         vantage_report("edge", 503, k_quorum_now, VantageNetwork::outside)},
                                        2, quorum_checks(), {});
  const pw::CheckResult& api = combined.results[0];
  CHECK_FALSE(api.ok);
  REQUIRE(api.vantages->rows.size() == 2);
  CHECK(api.vantages->rows[0].name == "edge");  // by name
  CHECK(api.vantages->rows[0].network == VantageNetwork::outside);
  CHECK(api.vantages->rows[1].network == VantageNetwork::inside);
}

TEST_CASE("quorum: impossible input is an error that says what to do") {
  const std::vector<pw::Check> checks = quorum_checks();
  SUBCASE("a quorum above the number of vantages") {
    const std::vector<pw::VantageReport> reports{vantage_report("office", 200)};
    pw::QuorumInput input{checks, k_three_vantages, reports};
    input.default_quorum = 4;
    input.now = k_quorum_now;
    const auto combined = pw::combine_vantages(input);
    REQUIRE_FALSE(combined.has_value());
    CHECK(combined.error().message ==
          "check api: quorum 4 is more than the 3 vantage(s) there are (office, gh-eu, gh-us); lower the quorum or "
          "declare the missing vantages under vantages:");
  }
  SUBCASE("two reports of one vantage") {
    pw::VantageReport again = vantage_report("gh-eu", 200);
    again.file = "reports/gh-eu-2.json";
    const std::vector<pw::VantageReport> reports{vantage_report("gh-eu", 503), again};
    pw::QuorumInput input{checks, k_three_vantages, reports};
    input.now = k_quorum_now;
    const auto combined = pw::combine_vantages(input);
    REQUIRE_FALSE(combined.has_value());
    CHECK(combined.error().message ==
          "reports/gh-eu.json and reports/gh-eu-2.json are both reports of vantage \"gh-eu\"; give each job its own "
          "check --vantage NAME");
  }
  SUBCASE("no vantages at all") {
    const std::vector<pw::VantageDeclaration> none;
    const std::vector<pw::VantageReport> reports;
    pw::QuorumInput input{checks, none, reports};
    const auto combined = pw::combine_vantages(input);
    REQUIRE_FALSE(combined.has_value());
    CHECK(combined.error().message ==
          "no vantage reports and no vantages declared; upload each job's check --vantage NAME --report FILE and "
          "download them into the --reports folder");
  }
}

TEST_CASE("reconcile: a check without a verdict opens, closes and counts nothing, and keeps its memory") {
  pw::IncidentState state;
  state.check = "api";
  state.first_seen = k_quorum_now - 2h;
  state.last_seen = k_quorum_now - 1h;
  state.runs_failed = 3;
  state.signature = "status:503";
  state.reported = state.signature;
  state.last_comment = k_quorum_now - 2h;
  pw::ReconcileInput in;
  pw::CheckOutcome undecided{"api", false, "quorum"};
  undecided.undecided = true;
  pw::CheckOutcome fresh{"web", false, "quorum"};
  fresh.undecided = true;
  in.outcomes = {undecided, fresh};
  in.now = k_quorum_now;
  in.dashboard_issue = 1;
  in.dashboard = pw::DashboardState{};
  pw::CheckMemory memory;
  memory.since = k_quorum_now - 2h;
  memory.status = pw::CheckMemory::Status::failing;
  memory.incident = 7;
  in.dashboard->checks["api"] = memory;
  in.incidents = {{7, state}};
  const pw::Plan plan = pw::reconcile(in);
  CHECK(plan.actions.empty());  // the open incident is neither updated nor closed; web opens nothing
  CHECK(plan.dashboard.checks.at("api") == memory);
  CHECK(plan.dashboard.checks.count("web") == 0);
}

TEST_CASE("quorum: the dashboard's note names the failing vantages, or says there is no verdict") {
  const auto failing_alone =
      combine_reports({vantage_report("office", 200), vantage_report("gh-eu", 503), vantage_report("gh-us", 200)});
  CHECK(pw::vantage_note(*failing_alone.results[0].vantages) == "1 of 3 vantages failing: gh-eu");
  const auto all_pass =
      combine_reports({vantage_report("office", 200), vantage_report("gh-eu", 200), vantage_report("gh-us", 200)});
  CHECK(pw::vantage_note(*all_pass.results[0].vantages).empty());
  const auto undecided = combine_reports({vantage_report("office", 200), vantage_report("gh-eu", 503)});
  CHECK(pw::vantage_note(*undecided.results[0].vantages) == "no verdict: 1 of 3 vantages failing, 1 unknown");
}
