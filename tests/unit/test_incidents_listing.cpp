// The one-request quiet run (bot/incidents/listing.hpp): which first pages are enough, with the
// listing the dashboard remembers, and which send the run to list every page.
#include <bot/incidents/listing.hpp>

#include <bot/core/timestamp.hpp>

#include <doctest/doctest.h>

#include <algorithm>

using namespace std::chrono_literals;

namespace {

const pw::TimePoint k_t0 = std::chrono::sys_days{std::chrono::year{2026} / 12 / 2} + 12h;
const std::string k_bot = "github-actions[bot]";

pw::Ownership owner() { return {"probewatch", "cfg.yml", "", {}, {k_bot}}; }

pw::IncidentState incident(const std::string& check) {
  pw::IncidentState state;
  state.check = check;
  state.config = "cfg.yml";
  state.first_seen = k_t0 - 1h;
  state.last_seen = k_t0 - 1h;
  state.runs_failed = 1;
  state.signature = "status:503";
  state.reported = "status:503";
  state.reason = "status 503 not in [200]";
  return state;
}

github::Issue issue(int number, pw::TimePoint updated, const std::string& body, const std::string& state = "open",
                    const std::string& author = k_bot) {
  github::Issue out;
  out.number = number;
  out.state = state;
  out.labels = {"probewatch"};
  out.user = author;
  out.body = body;
  out.updated_at = pw::format_timestamp(updated);
  out.html_url = "https://github.com/octo/app/issues/" + std::to_string(number);
  return out;
}

pw::DashboardState dashboard_with(pw::Listing listing) {
  pw::DashboardState state;
  state.config = "cfg.yml";
  state.listing = std::move(listing);
  return state;
}

std::vector<int> numbers(const std::vector<github::Issue>& issues) {
  std::vector<int> out;
  for (const github::Issue& i : issues) {
    out.push_back(i.number);
  }
  return out;
}

}  // namespace

TEST_CASE("listing: a dashboard's listing round-trips through its marker") {
  pw::Listing listing{
      k_t0, {{7, k_t0 - 5min, k_bot, incident("api")}, {9, k_t0, "probewatch-app[bot]", incident("web")}}, {4}};
  const pw::DashboardState state = dashboard_with(listing);
  const std::string marker = pw::format_marker(state);
  CHECK(marker.find(
            R"("listed":{"as_of":"2026-12-02T12:00:00Z","issues":[{"by":"github-actions[bot]","i":{"check":"api")") !=
        std::string::npos);
  CHECK(marker.find(R"(,"maint":[4]})") != std::string::npos);
  const auto parsed = pw::parse_marker(marker);
  REQUIRE(parsed.has_value());
  CHECK(std::get<pw::DashboardState>(*parsed) == state);
}

TEST_CASE("listing: one unreadable entry drops the whole listing, never the dashboard") {
  for (const std::string entry : {R"({"n":0,"u":"2026-12-02T12:00:00Z","by":"x","i":{"check":"api"}})",
                                  R"({"n":3,"u":"yesterday","by":"x","i":{"check":"api"}})",
                                  R"({"n":3,"u":"2026-12-02T12:00:00Z","by":"x","i":{"check":""}})",
                                  R"({"n":3,"u":"2026-12-02T12:00:00Z","by":"x","i":"api"})", R"(17)",
                                  R"({"n":3,"u":"2026-12-02T12:00:00Z","by":"x","i":{"check":"api"}}],"maint":[-1)"}) {
    CAPTURE(entry);
    const std::string body =
        R"(<!-- probewatch:v1 {"kind":"dashboard","config":"cfg.yml","checks":{},"listed":{"as_of":"2026-12-02T12:00:00Z","issues":[)" +
        entry + "]}} -->";
    const auto parsed = pw::parse_marker(body);
    REQUIRE(parsed.has_value());
    CHECK_FALSE(std::get<pw::DashboardState>(*parsed).listing.has_value());
  }
  const auto no_time =
      pw::parse_marker(R"(<!-- probewatch:v1 {"kind":"dashboard","checks":{},"listed":{"issues":[]}} -->)");
  REQUIRE(no_time.has_value());
  CHECK_FALSE(std::get<pw::DashboardState>(*no_time).listing.has_value());
}

TEST_CASE("listing: a page with nothing after it is the whole label") {
  github::IssuePage page;
  page.issues = {issue(12, k_t0, pw::format_marker(incident("web"))), issue(3, k_t0 - 1h, "a person's", "closed"),
                 issue(5, k_t0 - 2h, pw::format_marker(incident("api")))};
  page.items = 4;  // and a pull request
  const auto view = pw::view_from_page(page, owner());
  REQUIRE(view.has_value());
  CHECK(view->complete);
  CHECK(numbers(view->open) == std::vector<int>{5, 12});  // open only, oldest first as a full list reads
}

TEST_CASE("listing: more pages, and the dashboard's listing fills in what the page leaves out") {
  // The listing: incidents 5, 6 and 8 open as of k_t0 - 10min. Since then 8 closed (on the page,
  // closed), a new incident 30 opened; 5 and 6 did not change and are off the page.
  pw::Listing listing{k_t0 - 10min,
                      {{5, k_t0 - 20min, k_bot, incident("api")},
                       {6, k_t0 - 30min, k_bot, incident("db")},
                       {8, k_t0 - 10min, k_bot, incident("web")}}};
  github::IssuePage page;
  page.more = true;
  page.items = 100;
  page.oldest_updated = pw::format_timestamp(k_t0 - 15min);
  page.issues = {issue(1, k_t0, pw::format_marker(dashboard_with(listing))),
                 issue(30, k_t0 - 1min, pw::format_marker(incident("cache"))),
                 issue(8, k_t0 - 2min, pw::format_marker(incident("web")), "closed")};
  const auto view = pw::view_from_page(page, owner());
  REQUIRE(view.has_value());
  CHECK_FALSE(view->complete);
  CHECK(numbers(view->open) == std::vector<int>{1, 5, 6, 30});
  const github::Issue& remembered = view->open[1];
  CHECK(remembered.state == "open");
  CHECK(remembered.user == k_bot);
  CHECK(remembered.labels == std::vector<std::string>{"probewatch"});
  CHECK(remembered.html_url == "https://github.com/octo/app/issues/5");
  CHECK(remembered.updated_at == "2026-12-02T11:40:00Z");
  const auto marker = pw::parse_marker(remembered.body);
  REQUIRE(marker.has_value());
  CHECK(std::get<pw::IncidentState>(*marker) == incident("api"));

  // Read as the sync reads it, the view is what a complete list would give.
  const pw::TrackedIssues tracked = pw::sort_out(view->open, owner());
  CHECK(tracked.dashboard_issue == 1);
  CHECK(tracked.incidents.size() == 3);
}

TEST_CASE("listing: pages that cannot tell send the run to list every page") {
  const pw::Listing listing{k_t0 - 10min, {{5, k_t0 - 20min, k_bot, incident("api")}}};
  github::IssuePage page;
  page.more = true;
  page.items = 100;
  page.oldest_updated = pw::format_timestamp(k_t0 - 15min);
  page.issues = {issue(1, k_t0, pw::format_marker(dashboard_with(listing)))};
  REQUIRE(pw::view_from_page(page, owner()).has_value());

  SUBCASE("the page does not reach back to the listing: more changed than it shows") {
    page.oldest_updated = pw::format_timestamp(k_t0 - 10min + 1s);
    CHECK_FALSE(pw::view_from_page(page, owner()).has_value());
  }
  SUBCASE("the page reaches back to the second of the listing's last write") {
    page.oldest_updated = pw::format_timestamp(k_t0 - 10min);
    CHECK(pw::view_from_page(page, owner()).has_value());
  }
  SUBCASE("a remembered incident changed after the page's oldest yet is not on it: it lost the label") {
    page.oldest_updated = pw::format_timestamp(k_t0 - 25min);
    CHECK_FALSE(pw::view_from_page(page, owner()).has_value());
  }
  SUBCASE("no dashboard of this config on the page") {
    page.issues = {issue(1, k_t0, pw::format_marker(dashboard_with(listing)), "open", "mallory")};
    CHECK_FALSE(pw::view_from_page(page, owner()).has_value());
    pw::DashboardState other = dashboard_with(listing);
    other.config = "other.yml";
    page.issues = {issue(1, k_t0, pw::format_marker(other))};
    CHECK_FALSE(pw::view_from_page(page, owner()).has_value());
  }
  SUBCASE("a maintenance issue that paused checks is off the page: its body is not remembered") {
    pw::Listing paused = listing;
    paused.maintenance = {3};
    page.issues = {issue(1, k_t0, pw::format_marker(dashboard_with(paused)))};
    CHECK_FALSE(pw::view_from_page(page, owner()).has_value());
    page.issues.push_back(issue(3, k_t0 - 1min, "checks: api", "closed"));
    CHECK(pw::view_from_page(page, owner()).has_value());  // on the page: it tells for itself
  }
  SUBCASE("a dashboard without a listing") {
    pw::DashboardState bare;
    bare.config = "cfg.yml";
    page.issues = {issue(1, k_t0, pw::format_marker(bare))};
    CHECK_FALSE(pw::view_from_page(page, owner()).has_value());
  }
  SUBCASE("an unreadable page time") {
    page.oldest_updated = "";
    CHECK_FALSE(pw::view_from_page(page, owner()).has_value());
  }
}

TEST_CASE("listing: what a run remembers is its open, trusted incidents, dated by the latest change") {
  pw::IncidentState other = incident("api");
  other.config = "other.yml";
  pw::DashboardState board;
  board.config = "cfg.yml";
  std::map<int, github::Issue> issues;
  issues.emplace(1, issue(1, k_t0 + 1min, pw::format_marker(board)));  // the dashboard: dates, not listed
  issues.emplace(5, issue(5, k_t0 - 20min, pw::format_marker(incident("api"))));
  issues.emplace(6, issue(6, k_t0, pw::format_marker(incident("db")), "closed"));  // closed this run
  issues.emplace(7, issue(7, k_t0 - 5min, pw::format_marker(other)));              // another config's
  issues.emplace(8, issue(8, k_t0 - 5min, pw::format_marker(incident("web")), "open", "mallory"));
  const auto listing = pw::listing_of(issues, owner(), 1, {}, {});
  REQUIRE(listing.has_value());
  CHECK(listing->as_of == k_t0);  // #6, closed this run
  REQUIRE(listing->issues.size() == 1);
  CHECK(listing->issues[0] == pw::ListedIssue{5, k_t0 - 20min, k_bot, incident("api")});

  SUBCASE("with the maintenance issues that paused checks, once each, in order") {
    const auto paused = pw::listing_of(issues, owner(), 1, {40, 12, 40}, {});
    REQUIRE(paused.has_value());
    CHECK(paused->maintenance == std::vector<int>{12, 40});
  }
  SUBCASE("the first page's latest dates it when later") {
    CHECK(pw::listing_of(issues, owner(), 1, {}, k_t0 + 2min)->as_of == k_t0 + 2min);
    CHECK(pw::listing_of(issues, owner(), 1, {}, k_t0 - 2min)->as_of == k_t0);
    // With no incident open, the page alone dates it: then the next run can read one page.
    CHECK(pw::listing_of({{1, issues.at(1)}}, owner(), 1, {}, k_t0 - 2min)->as_of == k_t0 - 2min);
    github::IssuePage page;
    page.issues = {issue(1, k_t0 + 1min, pw::format_marker(board)), issue(4, k_t0 - 3min, "closed", "closed")};
    CHECK(pw::latest_but(page, 1) == k_t0 - 3min);
    CHECK(pw::latest_but(page, 0) == k_t0 - 3min);  // a dashboard never dates it, whoever's
    pw::DashboardState shard;
    shard.config = "cfg.yml";
    shard.scope = "2/2";
    page.issues.push_back(issue(9, k_t0 + 5min, pw::format_marker(shard)));
    CHECK(pw::latest_but(page, 1) == k_t0 - 3min);
  }
  SUBCASE("too many to keep") {
    for (int n = 100; n < 100 + static_cast<int>(pw::k_listing_limit); ++n) {
      issues.emplace(n, issue(n, k_t0, pw::format_marker(incident("c" + std::to_string(n)))));
    }
    CHECK_FALSE(pw::listing_of(issues, owner(), 1, {}, {}).has_value());
  }
  SUBCASE("nothing to date it by") { CHECK_FALSE(pw::listing_of({}, owner(), 0, {}, {}).has_value()); }
}

TEST_CASE("listing: kept where the label outgrows one page") {
  github::IssuePage page;
  page.items = 40;
  CHECK_FALSE(pw::worth_listing(page, 59));
  CHECK(pw::worth_listing(page, 60));
  page.more = true;
  CHECK(pw::worth_listing(page, 0));
}
