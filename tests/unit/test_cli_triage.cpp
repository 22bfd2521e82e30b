// `probewatch triage` in process against a fake GitHub.
#include <support/app/app_harness.hpp>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

using namespace std::chrono_literals;
using pw::test::AppHarness;

TEST_CASE("triage: merges five issues a shell workflow filed for one outage, and nothing else") {
  AppHarness h;
  const auto day = [&](int d) { return h.clock.now() - std::chrono::hours(24 * (20 - d)); };
  std::vector<int> outage;
  for (int d : {1, 2, 3, 4, 5}) {
    pw::test::SeedIssue seed{"Health check failed", "curl: (22) The requested URL returned error: 404", {"monitoring"}};
    seed.author = "github-actions[bot]";
    seed.created_at = day(d);
    outage.push_back(h.github.add_issue(AppHarness::k_repo, seed));
  }
  pw::test::SeedIssue unrelated{"Disk almost full on db-1", "92% used", {"monitoring"}};
  unrelated.created_at = day(3);
  const int other = h.github.add_issue(AppHarness::k_repo, unrelated);

  SUBCASE("dry run first") {
    const auto result = h.run({"triage", "--dedupe", "--legacy-label", "monitoring", "--dry-run"});
    CHECK(result.exit_code == 0);
    CHECK(result.out.find("would close #" + std::to_string(outage[1]) + " as a duplicate of #" +
                          std::to_string(outage[0])) != std::string::npos);
    CHECK(h.github.count_requests("POST") == 0);
    CHECK(h.github.count_requests("PATCH") == 0);
  }
  SUBCASE("then for real") {
    const auto result = h.run({"triage", "--dedupe", "--legacy-label", "monitoring"});
    CHECK(result.exit_code == 0);
    CHECK(h.github.issue(AppHarness::k_repo, outage[0])->state == "open");
    for (std::size_t i = 1; i < outage.size(); ++i) {
      const auto issue = h.github.issue(AppHarness::k_repo, outage[i]);
      CHECK(issue->state == "closed");
      CHECK(issue->state_reason == "duplicate");
      const auto comments = h.comments(outage[i]);
      REQUIRE(comments.size() == 1);
      CHECK(comments[0].body.starts_with("Duplicate of #" + std::to_string(outage[0])));
    }
    CHECK(h.github.issue(AppHarness::k_repo, other)->state == "open");
    CHECK(h.comments(other).empty());
    CHECK(h.comments(outage[0]).empty());
  }
}

TEST_CASE("triage: --dedupe never closes a person's issue that carries a copied marker") {
  AppHarness h;
  h.write_config("defaults: { retries: 0 }\nchecks:\n  - name: A\n    url: http://a.test/\n");
  h.prober.set_status("http://a.test/", 500);
  h.run_config();
  const auto ours = h.open_incidents();
  REQUIRE(ours.size() == 1);
  // Someone opens an issue by hand and pastes the incident's body, marker and all.
  pw::test::SeedIssue copy{"A is failing (again?)", *ours[0].body, {"probewatch"}};
  copy.author = "octocat";
  const int theirs = h.github.add_issue(AppHarness::k_repo, copy);
  const auto result = h.run({"triage", "--dedupe"});
  INFO(result.out << result.err);
  CHECK(result.exit_code == 0);
  CHECK(result.out.find("no duplicates") != std::string::npos);
  CHECK(h.github.issue(AppHarness::k_repo, theirs)->state == "open");
  CHECK(h.comments(theirs).empty());
  CHECK(h.github.issue(AppHarness::k_repo, ours[0].number)->state == "open");
}

TEST_CASE("triage: lists, rechecks and closes stale incidents") {
  AppHarness h;
  h.write_config(
      "defaults: { retries: 0 }\nchecks:\n  - name: A\n    url: http://a.test/\n  - name: B\n    url: http://b.test/\n");
  h.prober.set_status("http://a.test/", 500);
  h.prober.set_status("http://b.test/", 500);
  h.run_config();
  REQUIRE(h.open_incidents().size() == 2);

  const auto listing = h.run({"triage", "--json"});
  CHECK(listing.exit_code == 0);
  const auto json = nlohmann::json::parse(listing.out);
  REQUIRE(json.size() == 2);
  CHECK(json[0]["check"] == "a");
  CHECK(json[0]["last_evidence"] == "status 500 not in [200-399]");

  h.prober.set_status("http://a.test/", 200);
  const auto recheck = h.run({"triage", "--recheck", "--config", "probewatch.yml", "--no-progress"});
  CHECK(recheck.exit_code == 0);
  REQUIRE(h.open_incidents().size() == 1);
  CHECK(h.open_incidents()[0].title == "B is failing");

  h.clock.advance(72h);
  const auto stale = h.run({"triage", "--close-stale", "48h"});
  CHECK(stale.exit_code == 0);
  CHECK(h.open_incidents().empty());
}
