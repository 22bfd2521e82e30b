#include <bot/config/load.hpp>
#include <bot/import/import.hpp>

#include <doctest/doctest.h>

#include <string>

namespace {

std::string upptime_imported(const std::string& text) {
  auto config = pw::import_upptime(text, ".upptimerc.yml");
  REQUIRE_MESSAGE(config.has_value(), config.error().message);
  return *config;
}

std::string upptime_error(const std::string& text) {
  auto config = pw::import_upptime(text, ".upptimerc.yml");
  REQUIRE_FALSE(config.has_value());
  return config.error().message;
}

// Loads an imported config the way `probewatch validate` does; returns how many checks it has.
std::size_t upptime_validated(const std::string& text, const pw::Environment& env = {}) {
  auto config = pw::load_config(text, "probewatch.yml", env);
  REQUIRE_MESSAGE(config.has_value(), config.error().message);
  return config->checks.size();
}

}  // namespace

TEST_CASE("import: an Upptime config with status codes, headers, bodies, secrets and tcp-ping") {
  const std::string output = upptime_imported(R"yaml(# Change these first
owner: koj-co # Your GitHub organization or username, where this repository lives
repo: upptime # The name of this repository
user-agent: koj-co

sites:
  - name: Google
    url: https://www.google.com
  - name: POST to Example
    url: https://example.com/api/ping
    method: POST
    body: '{"ping": true}'
    headers:
      - "Authorization: Bearer $SECRET_API_TOKEN"
      - "Content-Type: application/json"
    expectedStatusCodes:
      - 200
      - 201
    maxResponseTime: 1000
    __dangerous__body_down_if_text_missing: '"status":"UP"'
  - name: Secret site
    url: $SECRET_SITE
    slug: secret
    icon: https://example.com/icon.png
    __dangerous__insecure: true
    __dangerous__body_down: "maintenance"
    assignees:
      - octocat
  - name: Database
    check: "tcp-ping"
    url: db.example.com
    port: 5432
  - name: IPv6 only
    url: https://v6.example.com
    ipv6: true
    maxRedirects: 0

assignees:
  - AnandChowdhary

workflowSchedule:
  uptime: "*/10 * * * *"

status-website:
  cname: demo.upptime.js.org
  logoUrl: https://raw.githubusercontent.com/upptime/upptime.js.org/master/static/img/icon.svg
  name: Upptime
  introTitle: "**Upptime** is the open-source uptime monitor"
  navbar:
    - title: Status
      href: /
)yaml");
  CHECK(output == R"yaml(# Imported from Upptime .upptimerc.yml by probewatch import.
# owner: koj-co: not needed: probewatch files issues in the repository its workflow runs in (or the one --repo names)
# repo: upptime: not needed: probewatch files issues in the repository its workflow runs in (or the one --repo names)
# workflowSchedule.uptime "*/10 * * * *": put it in the workflow's on.schedule cron; probewatch probes each time its workflow runs
# status-website: not imported: probewatch keeps a dashboard issue, not a website
defaults:
  headers:
    User-Agent: koj-co
issues:
  assignees: [AnandChowdhary]
checks:
  - name: Google
    url: https://www.google.com
  - name: POST to Example
    url: https://example.com/api/ping
    method: POST
    headers:
      Authorization: Bearer ${SECRET_API_TOKEN}
      Content-Type: application/json
    body: '{"ping": true}'
    expect:
      status: [200, 201]
      degraded_response_time: 1s
      body_contains: '"status":"UP"'
  - name: Secret site
    id: secret
    url: ${SECRET_SITE}
    insecure: true
    assignees: [octocat]
    expect:
      body_matches: '^(?![\s\S]*maintenance)'
    # icon https://example.com/icon.png: not imported: probewatch has no status website
  - name: Database
    url: tcp://db.example.com:5432
  - name: IPv6 only
    url: https://v6.example.com
    follow_redirects: false
    # ipv6 true: not imported: probewatch connects to every address the name resolves to, in order
)yaml");
  CHECK(upptime_validated(output, {{"SECRET_API_TOKEN", "t0ken"}, {"SECRET_SITE", "https://secret.example.com/"}}) ==
        5);
}

TEST_CASE("import: the Upptime configuration page's example, with globalping, notifications and a WebSocket site") {
  const std::string output = upptime_imported(R"yaml(owner: koj-co # GitHub username
repo: upptime # GitHub repository name
sites: # List of endpoints to track
  - name: Google
    url: https://www.google.com
  - name: Bing
    url: https://www.bing.com
    type: globalping # Use the Globalping platform to run the check
    location: california
  - name: Bing
    url: https://cn.bing.com
  - name: WebSocket echo
    check: ws
    url: wss://echo.example.com
assignees: # Users to assign downtime issues (optional)
  - AnandChowdhary
notifications:
  - type: slack
    url: $SLACK_WEBHOOK_URL
i18n:
  up: Up
)yaml");
  CHECK(output == R"yaml(# Imported from Upptime .upptimerc.yml by probewatch import.
# owner: koj-co: not needed: probewatch files issues in the repository its workflow runs in (or the one --repo names)
# repo: upptime: not needed: probewatch files issues in the repository its workflow runs in (or the one --repo names)
# notifications: not imported: probewatch reports through GitHub issues, which notify their watchers
# i18n: not imported: no probewatch equivalent
issues:
  assignees: [AnandChowdhary]
checks:
  - name: Google
    url: https://www.google.com
  - name: Bing
    url: https://www.bing.com
    # type globalping: not imported: probewatch probes from the runner it runs on
    # location california: not imported: probewatch probes from the runner it runs on
  - name: Bing
    id: bing-2
    url: https://cn.bing.com
  # - name: WebSocket echo (not imported)
  #   check: ws (wss://echo.example.com): probewatch probes HTTP(S), tcp://, tls:// and dns:// only
)yaml");
  CHECK(upptime_validated(output) == 3);
}

TEST_CASE("import: Upptime files that cannot be imported") {
  SUBCASE("no sites") {
    CHECK(upptime_error("owner: koj-co\nrepo: upptime\n") ==
          ".upptimerc.yml: no \"sites:\" list; is this an Upptime .upptimerc.yml?");
  }
  SUBCASE("only sites without an equivalent") {
    CHECK(upptime_error("sites:\n  - name: Echo\n    check: ws\n    url: wss://echo.example.com\n") ==
          ".upptimerc.yml: none of the 1 sites has a probewatch equivalent; nothing to import");
  }
  SUBCASE("a site that is not a map") {
    CHECK(upptime_error("sites:\n  - https://www.google.com\n") ==
          ".upptimerc.yml:2:5: sites[0] is not a map with a name and a url");
  }
}
