// integration.status_page: `probewatch status-page` through the real binary, and the page it
// writes in a real browser (headless Chromium, from file://), with a counting proxy on loopback
// that every network request would reach.
#define DOCTEST_CONFIG_IMPLEMENT
#include <support/e2e/binary_sandbox.hpp>
#include <support/e2e/http_endpoint.hpp>
#include <support/fault_server.hpp>
#include <support/process.hpp>

#include <bot/reconcile/marker.hpp>

#include <github_client/iso8601.hpp>

#include <support/html_links.hpp>

#include <doctest/doctest.h>
#include <fmt/format.h>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>

using namespace std::chrono_literals;
using nlohmann::json;
using pw::test::BinarySandbox;

namespace {

namespace fs = std::filesystem;

const pw::test::BinaryPaths k_binaries{PROBEWATCH_BINARY, RUSAGE_EXEC_BINARY};
constexpr const char* k_web_name = "Web <img src=x onerror=alert(1)> \"shop\"";

// The chromium executable: $CHROMIUM, else chromium or chromium-browser on PATH; "" when absent.
std::string find_chromium() {
  if (const char* given = std::getenv("CHROMIUM"); given != nullptr && *given != '\0') {
    return fs::exists(given) ? given : "";
  }
  const char* path = std::getenv("PATH");
  std::string folders = path != nullptr ? path : "/usr/bin:/bin";
  std::size_t start = 0;
  while (start <= folders.size()) {
    const std::size_t end = std::min(folders.find(':', start), folders.size());
    for (const char* name : {"chromium", "chromium-browser"}) {
      const fs::path candidate = fs::path(folders.substr(start, end - start)) / name;
      std::error_code error;
      if (!candidate.parent_path().empty() && fs::exists(candidate, error)) {
        return candidate.string();
      }
    }
    start = end + 1;
  }
  return "";
}

std::string g_chromium;

// True when a proxied request is the browser's own (component updates, network time, account and
// safe-browsing services), which Chromium makes whatever page it shows: named hosts, not patterns,
// so a page's request to any other host is counted.
bool browser_service(const std::string& target) {
  static const std::vector<std::string> k_hosts{"clients2.google.com", "update.googleapis.com",
                                                "accounts.google.com", "safebrowsing.googleapis.com",
                                                "redirector.gvt1.com", "optimizationguide-pa.googleapis.com",
                                                "edgedl.me.gvt1.com",  "android.clients.google.com"};
  std::string host = target;
  if (const auto scheme = host.find("://"); scheme != std::string::npos) {
    host = host.substr(scheme + 3);
  }
  host = host.substr(0, host.find_first_of(":/"));
  return std::find(k_hosts.begin(), k_hosts.end(), host) != k_hosts.end();
}

// Width and height of a PNG file (from its IHDR chunk); 0, 0 when it is not one.
std::pair<unsigned, unsigned> png_size(const fs::path& file) {
  const std::string data = pw::test::read_text(file);
  if (data.size() < 24 || data.compare(1, 3, "PNG") != 0) {
    return {0, 0};
  }
  auto be32 = [&](std::size_t at) {
    unsigned value = 0;
    for (std::size_t i = 0; i < 4; ++i) {
      value = (value << 8) | static_cast<unsigned char>(data[at + i]);
    }
    return value;
  };
  return {be32(16), be32(20)};
}

struct StatusPage : BinarySandbox {
  pw::test::HttpEndpoint endpoint{[](const httplib::Request& request, httplib::Response& response) {
    response.status = request.path == "/health" ? 200 : 503;
    response.set_content(request.path == "/health" ? "ok" : "down", "text/plain");
  }};
  // Every request the browser would make goes here (no bypass, not even for loopback); it answers
  // 502 and counts.
  std::atomic<int> proxied{0};
  std::atomic<int> browser_own{0};  // the browser's own services (updates, time, accounts), not the page's
  std::mutex seen_mutex;
  std::vector<std::string> seen;
  pw::test::FaultServer proxy{[this](const pw::test::SeenRequest& request) {
    const std::lock_guard<std::mutex> lock(seen_mutex);
    if (browser_service(request.target)) {
      ++browser_own;
    } else {
      ++proxied;
      seen.push_back(request.method + " " + request.target);
    }
    return pw::test::respond(502, "no network in this test");
  }};

  StatusPage() : BinarySandbox(k_binaries) {
    write_file("probewatch.yml", fmt::format("defaults: {{ timeout: 5s, retries: 0 }}\n"
                                             "checks:\n  - id: api\n    name: API\n    url: {}\n"
                                             "  - id: web\n    name: '{}'\n    url: {}\n",
                                             endpoint.url("/health"), k_web_name, endpoint.url("/down")));
  }

  // A headless Chromium run over `target` with `args`, through the counting proxy.
  pw::test::ProcessResult chromium(const std::string& target, std::vector<std::string> args) {
    std::vector<std::string> argv{g_chromium,
                                  "--headless",
                                  "--no-sandbox",
                                  "--disable-gpu",
                                  "--no-first-run",
                                  "--no-default-browser-check",
                                  "--disable-background-networking",
                                  "--disable-component-update",
                                  "--disable-sync",
                                  "--disable-default-apps",
                                  "--no-pings",
                                  "--disable-domain-reliability",
                                  "--disable-client-side-phishing-detection",
                                  "--disable-features=OptimizationHints,MediaRouter,AutofillServerCommunication,"
                                  "CertificateTransparencyComponentUpdater",
                                  "--hide-scrollbars",
                                  "--user-data-dir=" + path("chromium-profile").string(),
                                  fmt::format("--proxy-server=http://127.0.0.1:{}", proxy.port()),
                                  "--proxy-bypass-list=<-loopback>"};
    argv.insert(argv.end(), args.begin(), args.end());
    argv.push_back(target);
    auto env = pw::test::inherited_environment();
    env["HOME"] = path("chromium-home").string();
    return pw::test::run_process({argv, env, path(""), 60s});
  }
};

// Gives the dashboard a history that makes the figures known: it began 47.5 hours ago, API was down
// for an hour three hours ago (incident #77), and API has 30 hours of response times.
void seed_history(StatusPage& s, int dashboard) {
  const auto issue = s.github.issue(BinarySandbox::k_repo, dashboard);
  REQUIRE(issue);
  const std::string body = issue->body.value_or("");
  auto marker = pw::parse_marker(body);
  REQUIRE(marker);
  auto state = std::get<pw::DashboardState>(*marker);
  const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  state.since = now - 48h + 30min;
  state.history.push_back({"api", 77, now - 3h, now - 2h, "status 503 not in [200]"});
  state.response = {};
  state.response.open_hour = std::chrono::floor<std::chrono::hours>(now);
  for (int hour = 1; hour <= 30; ++hour) {
    state.response.checks["api"].hours[state.response.open_hour - std::chrono::hours(hour)] = {100 + hour, 250 + hour};
  }
  const std::string rest = body.substr(body.find("-->") + 3);
  const json patch = {{"body", pw::format_marker(state) + rest}};
  github::HttpRequest edit{"PATCH",
                           fmt::format("https://api.github.com/repos/{}/issues/{}", BinarySandbox::k_repo, dashboard),
                           {{"authorization", std::string("Bearer ") + BinarySandbox::k_token}},
                           patch.dump()};
  REQUIRE(s.github.handle(edit).status == 200);
}

// The part of `dom` from the section of check `id` to the next section.
std::string section_of(const std::string& dom, const std::string& id) {
  const std::size_t start = dom.find(fmt::format("data-check=\"{}\"", id));
  if (start == std::string::npos) {
    return "";
  }
  return dom.substr(start, dom.find("</section>", start) - start);
}

}  // namespace

int main(int argc, char** argv) {
  g_chromium = find_chromium();
  if (g_chromium.empty()) {
    std::cout << "integration.status_page: skipped: chromium is not installed (scripts/install-deps installs the "
                 "Debian package chromium; or set CHROMIUM to its path)\n";
    return 77;
  }
  doctest::Context context(argc, argv);
  return context.run();
}

TEST_CASE("status page: written from the tracker, shown by a real browser without any network request") {
  StatusPage s;
  const pw::test::ProcessResult run = s.run({"run", "--config", "probewatch.yml"});
  INFO("run:\n" << run.out << run.err);
  REQUIRE(run.exit_code == 1);  // web fails
  const auto dashboards = s.open_dashboards();
  REQUIRE(dashboards.size() == 1);
  const auto web = s.incidents("web");
  REQUIRE(web.size() == 1);
  seed_history(s, dashboards[0].number);

  s.github.clear_requests();
  const pw::test::ProcessResult page =
      s.run({"status-page", "--out", "site", "--config", "probewatch.yml", "--title", "Octo status"});
  INFO("status-page:\n" << page.out << page.err);
  REQUIRE(page.exit_code == 0);
  CHECK(page.out == "wrote site/index.html and site/status.json: 2 checks, 2 incidents\n");
  CHECK(s.github.requests().size() == 1);  // one list of the open issues
  const std::string html = s.read_file("site/index.html");
  REQUIRE_FALSE(html.empty());

  SUBCASE("the HTML links only to the incidents, loads nothing, and keeps untrusted text as text") {
    const std::vector<std::string> targets =
        pw::test::attribute_values(html, {"src", "href", "action", "srcset", "poster", "data"});
    const std::string base = fmt::format("{}/{}/issues/", BinarySandbox::k_web_url, BinarySandbox::k_repo);
    CHECK(targets == std::vector<std::string>{base + std::to_string(web[0].number),
                                              base + std::to_string(web[0].number), base + "77"});
    CHECK(html.find("<script") == std::string::npos);
    CHECK(html.find("url(") == std::string::npos);
    CHECK(html.find("@import") == std::string::npos);
    CHECK(html.find("<img") == std::string::npos);
    CHECK(html.find("Web &lt;img src=x onerror=alert(1)&gt; &quot;shop&quot;") != std::string::npos);
  }

  SUBCASE("headless Chromium: every check, its uptime, the incidents; no request; phone and desktop screenshots") {
    const std::string url = "file://" + s.path("site/index.html").string();
    const pw::test::ProcessResult dump = s.chromium(url, {"--dump-dom"});
    INFO("chromium:\n" << dump.err.substr(0, 2000));
    REQUIRE(dump.exit_code == 0);
    const std::string& dom = dump.out;
    CHECK(dom.find("<h1>Octo status</h1>") != std::string::npos);
    CHECK(dom.find("data-overall=\"down\"") != std::string::npos);
    CHECK(dom.find("1 of 2 checks down") != std::string::npos);
    const std::string api = section_of(dom, "api");
    const std::string web_section = section_of(dom, "web");
    REQUIRE_FALSE(api.empty());
    REQUIRE_FALSE(web_section.empty());
    INFO("api section:\n" << api);
    // API: down 1 h of the last 24 h, the rest observed and up.
    CHECK(api.find("<tr data-period=\"24h\"><th scope=\"row\">24h</th><td class=\"ratio\">95.83%</td><td>1h</td>"
                   "<td>–</td><td>–</td></tr>") != std::string::npos);
    // 90 days reach before the dashboard began: that time is shown apart, as not observed.
    CHECK(api.find("<tr data-period=\"90d\"><th scope=\"row\">90d</th><td class=\"ratio\">97.89%</td><td>1h</td>"
                   "<td>88d</td><td>–</td></tr>") != std::string::npos);
    CHECK(api.find("<svg class=\"chart\"") != std::string::npos);
    CHECK(api.find("Latest hour: p50 101 ms, p95 251 ms.") != std::string::npos);
    // Web: down now, with its incident linked; its name is text, not an element.
    const std::string incident_url =
        fmt::format("{}/{}/issues/{}", BinarySandbox::k_web_url, BinarySandbox::k_repo, web[0].number);
    CHECK(web_section.find("data-state=\"down\"") != std::string::npos);
    CHECK(web_section.find(fmt::format("<a href=\"{}\">incident #{}</a>", incident_url, web[0].number)) !=
          std::string::npos);
    CHECK(web_section.find("Web &lt;img src=x onerror=alert(1)&gt; \"shop\"") != std::string::npos);
    const json status = json::parse(s.read_file("site/status.json"));
    const std::string web_24h = status["checks"][1]["uptime"]["24h"]["uptime"].is_null() ? "–" : "%";
    CHECK(web_section.find("<tr data-period=\"24h\">") != std::string::npos);
    CHECK(web_24h == "%");
    CHECK(dom.find("<img") == std::string::npos);
    CHECK(dom.find("<tr data-incident=\"77\">") != std::string::npos);
    CHECK(dom.find(fmt::format("<tr data-incident=\"{}\">", web[0].number)) != std::string::npos);
    CHECK(dom.find("<strong>ongoing</strong>") != std::string::npos);

    fs::create_directories(STATUS_PAGE_ARTIFACTS);
    for (const auto& [width, height] : {std::pair{390u, 844u}, std::pair{1280u, 800u}}) {
      const fs::path shot = fs::path(STATUS_PAGE_ARTIFACTS) / fmt::format("status-page-{}x{}.png", width, height);
      fs::remove(shot);
      const pw::test::ProcessResult taken = s.chromium(
          url, {fmt::format("--screenshot={}", shot.string()), fmt::format("--window-size={},{}", width, height)});
      INFO("screenshot " << width << "x" << height << ":\n" << taken.err.substr(0, 2000));
      CHECK(taken.exit_code == 0);
      CHECK(png_size(shot) == std::pair{width, height});
    }
    INFO("requests the proxy saw: " << fmt::format("{}", fmt::join(s.seen, ", ")));
    // Dark mode (prefers-color-scheme), kept for a person to look at.
    const fs::path dark = fs::path(STATUS_PAGE_ARTIFACTS) / "status-page-390x844-dark.png";
    fs::remove(dark);
    const pw::test::ProcessResult night =
        s.chromium(url, {"--force-dark-mode", "--blink-settings=preferredColorScheme=0",
                         fmt::format("--screenshot={}", dark.string()), "--window-size=390,844"});
    CHECK(night.exit_code == 0);
    CHECK(png_size(dark) == std::pair{390u, 844u});
    CHECK(s.proxied == 0);
    MESSAGE("the browser's own service requests (not the page's): " << s.browser_own.load());

    // The proxy does see what a page asks for: the same browser flags on a page with an outside
    // image reach it, so the zero above means the status page asked for nothing.
    s.write_file("control.html", "<!DOCTYPE html><img src=\"http://outside.example.test/pixel.png\" alt=\"\">");
    const pw::test::ProcessResult control = s.chromium("file://" + s.path("control.html").string(), {"--dump-dom"});
    CHECK(control.exit_code == 0);
    CHECK(s.proxied >= 1);
  }
}
