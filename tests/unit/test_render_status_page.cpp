// The status page, pure: the view built from the dashboard's memory, the exact escaping, the SVG
// chart, and what the HTML must and must not hold.
#include <bot/render/status_page.hpp>

#include <github_client/iso8601.hpp>

#include <support/html_links.hpp>

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

using namespace std::chrono_literals;

namespace {

const pw::TimePoint k_page_now = *github::parse_iso8601("2026-12-02T12:00:00Z");

pw::StatusSource source_of() {
  pw::StatusSource source;
  source.now = k_page_now;
  source.dashboard.since = k_page_now - 40 * 24h;
  source.dashboard.history = {{"api", 7, k_page_now - 12h - 30min, k_page_now - 12h, "status 503 not in [200]"}};
  source.dashboard.response.open_hour = k_page_now;
  source.dashboard.response.checks["api"].hours = {{k_page_now - 2h, {120, 340}}, {k_page_now - 1h, {130, 360}}};
  source.open = {{12, pw::IncidentState{.check = "web", .first_seen = k_page_now - 2h, .reason = "timeout <5s>"}}};
  source.checks = {{"api", "API"}, {"web", "Web <b>shop</b>"}, {"dns", "DNS"}};
  source.maintenance["dns"] = {{k_page_now - 3 * 24h, k_page_now - 3 * 24h + 2h}};
  source.paused["dns"] = pw::Pause{"Weekly deploy", k_page_now + 1h, 0};
  source.windows = {{"Weekly deploy", "DNS", {k_page_now - 1h, k_page_now + 1h}}};
  source.issue_url = [](int number) { return "https://github.com/octo/app/issues/" + std::to_string(number); };
  return source;
}

}  // namespace

TEST_CASE("status page: escape_html") {
  CHECK(pw::escape_html(R"(<a href="x">Tom & 'Jerry'</a>)") ==
        "&lt;a href=&quot;x&quot;&gt;Tom &amp; &#39;Jerry&#39;&lt;/a&gt;");
  CHECK(pw::escape_html("caf\xC3\xA9 \xFF") == "café \xEF\xBF\xBD");  // invalid UTF-8 becomes U+FFFD
}

TEST_CASE("status page: the view from the dashboard's memory and the open incidents") {
  pw::Redactor secrets;
  const pw::StatusPage page = pw::status_page(source_of(), secrets);
  REQUIRE(page.checks.size() == 3);
  const pw::StatusCheck& api = page.checks[0];
  CHECK(api.status == pw::CheckMemory::Status::passing);
  CHECK(pw::format_ratio(api.uptime[0].ratio()) == "97.91%");           // 30 minutes down in 24 hours
  CHECK(api.uptime[3].unknown == pw::Millis(50LL * 24 * 3600 * 1000));  // 90 days reach 50 days before it began
  CHECK(api.response.p95 == std::vector<int>{340, 360});
  const pw::StatusCheck& web = page.checks[1];
  CHECK(web.status == pw::CheckMemory::Status::failing);
  CHECK(web.incident == 12);
  CHECK(web.incident_url == "https://github.com/octo/app/issues/12");
  CHECK(web.uptime[0].down == pw::Millis(2LL * 3600 * 1000));
  CHECK_FALSE(web.charted);
  const pw::StatusCheck& dns = page.checks[2];
  REQUIRE(dns.maintenance);
  CHECK(dns.uptime[1].maintenance == pw::Millis(2LL * 3600 * 1000));
  // Open incidents first, then the closed ones, newest first.
  REQUIRE(page.incidents.size() == 2);
  CHECK(page.incidents[0].number == 12);
  CHECK(page.incidents[0].ended == pw::TimePoint{});
  CHECK(page.incidents[1].number == 7);
  CHECK(page.incidents[1].check == "API");
}

TEST_CASE("status page: secrets are redacted in every text") {
  pw::Redactor secrets;
  secrets.add("hunter2-secret");
  pw::StatusSource source = source_of();
  source.checks[0].second = "API (hunter2-secret)";
  source.open[0].second.reason = "401 for token hunter2-secret";
  const pw::StatusPage page = pw::status_page(source, secrets);
  const std::string html = pw::status_page_html(page);
  const std::string json = pw::status_page_json(page);
  CHECK(html.find("hunter2") == std::string::npos);
  CHECK(json.find("hunter2") == std::string::npos);
  CHECK(html.find("API (***)") != std::string::npos);
}

TEST_CASE("status page: the SVG chart") {
  pw::ChartSeries series;
  series.hours = {k_page_now - 3h, k_page_now - 2h, k_page_now - 1h};
  series.p50 = {100, 200, 150};
  series.p95 = {300, 400, 350};
  const std::string svg = pw::response_svg(series, k_page_now, 4h, "Response times of <API>");
  // x: the middle of each hour (1.5 h, 2.5 h, 3.5 h into 4 hours) in 52..632; y: 0..500 ms in 156..10.
  INFO(svg);
  CHECK(svg.find("<path class=\"p50\" d=\"M269.5,126.8 L414.5,97.6 L559.5,112.2\"") != std::string::npos);
  CHECK(svg.find("<path class=\"p95\" d=\"M269.5,68.4 L414.5,39.2 L559.5,53.8\"") != std::string::npos);
  CHECK(svg.find("stroke-dasharray=\"6 4\"") != std::string::npos);  // p95 is dashed, not only another colour
  CHECK(svg.find("aria-label=\"Response times of &lt;API&gt;: 3 hours with samples; highest p95 400 ms, lowest "
                 "p50 100 ms\"") != std::string::npos);
  CHECK(svg.find(">500</text>") != std::string::npos);

  SUBCASE("an hour without samples breaks the line") {
    series.hours[2] = k_page_now - 0h - 0min;  // not the hour after the second
    const std::string broken = pw::response_svg(series, k_page_now + 1h, 5h, "x");
    CHECK(broken.find(" M") != std::string::npos);
  }
}

TEST_CASE("status page: the HTML is self-contained, accessible and escapes untrusted text") {
  pw::Redactor secrets;
  pw::StatusPage page = pw::status_page(source_of(), secrets);
  page.title = "Octo <status>";
  const std::string html = pw::status_page_html(page);
  INFO(html);
  CHECK(html.starts_with("<!DOCTYPE html>\n<html lang=\"en\">\n"));
  CHECK(html.find("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">") != std::string::npos);
  CHECK(html.find("@media (prefers-color-scheme:dark)") != std::string::npos);
  CHECK(html.find("content=\"default-src 'none'; style-src 'unsafe-inline'") != std::string::npos);
  CHECK(html.find("<title>Octo &lt;status&gt;</title>") != std::string::npos);
  CHECK(html.find("<h1>Octo &lt;status&gt;</h1>") != std::string::npos);
  // Nothing is loaded: no script, no stylesheet or font from elsewhere; the only links are incidents.
  CHECK(html.find("<script") == std::string::npos);
  CHECK(html.find("<link") == std::string::npos);
  CHECK(html.find("url(") == std::string::npos);
  const std::vector<std::string> targets = pw::test::attribute_values(html, {"src", "href"});
  CHECK(targets == std::vector<std::string>{"https://github.com/octo/app/issues/12",
                                            "https://github.com/octo/app/issues/12",
                                            "https://github.com/octo/app/issues/7"});
  // Untrusted text is text.
  CHECK(html.find("<h3 id=\"check-web\">Web &lt;b&gt;shop&lt;/b&gt;</h3>") != std::string::npos);
  CHECK(html.find("<td>timeout &lt;5s&gt;</td>") != std::string::npos);
  CHECK(html.find("<b>") == std::string::npos);
  // The state is told in words and a symbol, not by colour alone.
  CHECK(html.find("<p class=\"banner down\" data-overall=\"down\"><span aria-hidden=\"true\">✕</span> 1 of 3 checks "
                  "down</p>") != std::string::npos);
  CHECK(html.find("<p class=\"state down\"><span aria-hidden=\"true\">✕</span> Down since 2026-12-02 10:00 UTC · "
                  "<a href=\"https://github.com/octo/app/issues/12\">incident #12</a></p>") != std::string::npos);
  CHECK(html.find("<p class=\"state maint\"><span aria-hidden=\"true\">🔧</span> In maintenance (Weekly deploy, "
                  "until 2026-12-02 13:00 UTC)</p>") != std::string::npos);
  CHECK(html.find("<tr data-period=\"24h\"><th scope=\"row\">24h</th><td class=\"ratio\">97.91%</td><td>30m</td>"
                  "<td>–</td><td>–</td></tr>") != std::string::npos);
  CHECK(html.find("<li data-maintenance=\"Weekly deploy\"><strong>Weekly deploy</strong> (DNS): 2026-12-02 11:00 "
                  "UTC to 2026-12-02 13:00 UTC <strong>(now)</strong></li>") != std::string::npos);
  CHECK(html.find("Response times are charted for the 5 slowest checks") != std::string::npos);
  CHECK(html.find("Latest hour: p50 130 ms, p95 360 ms.") != std::string::npos);
}

TEST_CASE("status page: status.json") {
  pw::Redactor secrets;
  const auto json = nlohmann::json::parse(pw::status_page_json(pw::status_page(source_of(), secrets)));
  CHECK(json["version"] == 1);
  CHECK(json["generated_at"] == "2026-12-02T12:00:00Z");
  CHECK(json["checks"][0]["id"] == "api");
  CHECK(json["checks"][0]["uptime"]["24h"]["down_seconds"] == 1800);
  CHECK(json["checks"][0]["response_times"][1] ==
        nlohmann::json{{"hour", "2026-12-02T11:00:00Z"}, {"p50_ms", 130}, {"p95_ms", 360}});
  CHECK(json["checks"][1]["state"] == "failing");
  CHECK(json["checks"][1]["incident_url"] == "https://github.com/octo/app/issues/12");
  CHECK(json["checks"][2]["state"] == "maintenance");
  CHECK(json["incidents"][0]["ended"].is_null());
  CHECK(json["incidents"][1]["ended"] == "2026-12-02T00:00:00Z");
  CHECK(json["maintenance"][0]["name"] == "Weekly deploy");
}

TEST_CASE("status page: a failing check in maintenance is not shown as healthy") {
  pw::StatusSource source = source_of();
  source.open.clear();  // only the check in maintenance fails
  source.dashboard.checks["dns"].status = pw::CheckMemory::Status::failing;
  pw::Redactor secrets;
  const std::string html = pw::status_page_html(pw::status_page(source, secrets));
  CHECK(html.find("<p class=\"state maint\"><span aria-hidden=\"true\">🔧</span> In maintenance, failing (Weekly "
                  "deploy, until 2026-12-02 13:00 UTC)</p>") != std::string::npos);
  CHECK(html.find("<p class=\"banner maint\" data-overall=\"maintenance\"><span aria-hidden=\"true\">🔧</span> 1 of 3 "
                  "checks in maintenance, 1 of them failing</p>") != std::string::npos);
  CHECK(html.find("All checks operational") == std::string::npos);
}
