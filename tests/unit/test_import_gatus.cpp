#include <bot/config/load.hpp>
#include <bot/import/import.hpp>

#include <doctest/doctest.h>

#include <string>

namespace {

std::string gatus_imported(const std::string& text) {
  auto config = pw::import_gatus(text, "config.yaml");
  REQUIRE_MESSAGE(config.has_value(), config.error().message);
  return *config;
}

std::string gatus_error(const std::string& text) {
  auto config = pw::import_gatus(text, "config.yaml");
  REQUIRE_FALSE(config.has_value());
  return config.error().message;
}

// Loads an imported config the way `probewatch validate` does; returns how many checks it has.
std::size_t gatus_validated(const std::string& text, const pw::Environment& env = {}) {
  auto config = pw::load_config(text, "probewatch.yml", env);
  REQUIRE_MESSAGE(config.has_value(), config.error().message);
  return config->checks.size();
}

}  // namespace

TEST_CASE("import: a Gatus config with groups, conditions, alerts, a client block, TCP, TLS, STARTTLS, DNS and ICMP") {
  const std::string output = gatus_imported(R"yaml(alerting:
  slack:
    webhook-url: "https://hooks.slack.com/services/**********"
  pagerduty:
    integration-key: "********************************"

endpoints:
  - name: front-end
    group: core
    url: "https://twin.sh/health"
    interval: 5m
    conditions:
      - "[STATUS] == 200"
      - "[BODY].status == UP"
      - "[RESPONSE_TIME] < 150"
    alerts:
      - type: slack
        failure-threshold: 2
        success-threshold: 3
        send-on-resolved: true
        description: "healthcheck failed"
  - name: back-end
    group: core
    url: "https://example.org/"
    interval: 5m
    conditions:
      - "[STATUS] == 200"
      - "[CERTIFICATE_EXPIRATION] > 48h"
    alerts:
      - type: pagerduty
  - name: api
    url: "https://api.example.org/v1/items"
    method: POST
    headers:
      Authorization: "Bearer ${API_TOKEN}"
      Content-Type: application/json
    body: '{"limit": 1}'
    interval: 30s
    client:
      insecure: true
      timeout: 5s
      ignore-redirect: true
    conditions:
      - "[STATUS] >= 200"
      - "[STATUS] < 300"
      - "[BODY].data[0].id == 1"
      - "[BODY] == pat(*items*)"
      - "[IP] == 127.0.0.1"
      - "len([BODY].data) > 0"
  - name: example-dns-query
    url: "8.8.8.8"
    interval: 5m
    dns:
      query-name: "example.com"
      query-type: "A"
    conditions:
      - "[BODY] == 93.184.216.34"
      - "[DNS_RCODE] == NOERROR"
  - name: icmp-ping
    url: "icmp://example.org"
    interval: 1m
    conditions:
      - "[CONNECTED] == true"
  - name: front-end
    group: staging
    url: "https://staging.twin.sh/health"
    conditions:
      - "[STATUS] == any(200, 204)"
  - name: database
    url: "tcp://db.example.org:5432"
    interval: 1m
    conditions:
      - "[CONNECTED] == true"
      - "[RESPONSE_TIME] <= 50"
  - name: ldaps
    url: "tls://ldap.example.org:636"
    conditions:
      - "[CONNECTED] == true"
      - "[CERTIFICATE_EXPIRATION] > 720h"
  - name: mail
    url: "starttls://smtp.example.org:587"
    conditions:
      - "[CONNECTED] == true"
)yaml");
  CHECK(output == R"yaml(# Imported from Gatus config.yaml by probewatch import.
# schedule: the shortest interval is 30s; run the workflow on cron "*/5 * * * *"
# issues thresholds: the lowest failure-threshold of the alerts, and its success-threshold
# alerting (slack, pagerduty): not imported: probewatch reports through GitHub issues, which notify their watchers
issues:
  failure_threshold: 2
  success_threshold: 3
checks:
  - name: front-end
    id: core-front-end
    url: https://twin.sh/health
    expect:
      status: 200
      max_response_time: 149ms
      json:
        /status: UP
    # group core: not imported: probewatch has no groups
    # interval 5m: probewatch probes each time its workflow runs (see the schedule note at the top)
    # alert slack: probewatch files a GitHub issue instead (failure-threshold 2, success-threshold 3)
  - name: back-end
    url: https://example.org/
    expect:
      status: 200
      cert_days_left: 2
    # group core: not imported: probewatch has no groups
    # interval 5m: probewatch probes each time its workflow runs (see the schedule note at the top)
    # alert pagerduty: probewatch files a GitHub issue instead (failure-threshold 3, success-threshold 2)
  - name: api
    url: https://api.example.org/v1/items
    method: POST
    headers:
      Authorization: Bearer ${API_TOKEN}
      Content-Type: application/json
    body: '{"limit": 1}'
    timeout: 5s
    follow_redirects: false
    insecure: true
    expect:
      status: "200-299"
      body_contains: items
      json:
        /data/0/id: 1
        /data: 'len > 0'
    # interval 30s: probewatch probes each time its workflow runs (see the schedule note at the top)
    # condition "[IP] == 127.0.0.1": not imported: no probewatch equivalent
    # no enabled alert in Gatus: probewatch files an issue whenever this check fails
  - name: example-dns-query
    url: dns://example.com
    dns_server: '8.8.8.8'
    expect:
      answers: ['93.184.216.34']
    # interval 5m: probewatch probes each time its workflow runs (see the schedule note at the top)
    # no enabled alert in Gatus: probewatch files an issue whenever this check fails
  # - name: icmp-ping (not imported)
  #   icmp endpoint icmp://example.org: probewatch probes HTTP(S), tcp://, tls:// and dns:// only
  - name: front-end
    id: staging-front-end
    url: https://staging.twin.sh/health
    expect:
      status: [200, 204]
    # group staging: not imported: probewatch has no groups
    # no enabled alert in Gatus: probewatch files an issue whenever this check fails
  - name: database
    url: tcp://db.example.org:5432
    expect:
      max_response_time: 50ms
    # interval 1m: probewatch probes each time its workflow runs (see the schedule note at the top)
    # no enabled alert in Gatus: probewatch files an issue whenever this check fails
  - name: ldaps
    url: tls://ldap.example.org:636
    expect:
      cert_days_left: 30
    # no enabled alert in Gatus: probewatch files an issue whenever this check fails
  # - name: mail (not imported)
  #   starttls endpoint starttls://smtp.example.org:587: probewatch probes HTTP(S), tcp://, tls:// and dns:// only
)yaml");
  CHECK(gatus_validated(output, {{"API_TOKEN", "t0ken"}}) == 7);
}

TEST_CASE("import: Gatus status ranges, body patterns, rounding, DNS, disabled endpoints and other protocols") {
  const std::string output = gatus_imported(R"yaml(metrics: true
storage:
  type: sqlite
  path: /data/data.db
endpoints:
  - name: website
    url: "https://example.org/"
    interval: 1h
    conditions:
      - "[STATUS] < 500"
      - "[STATUS] != 404"
      - "[CERTIFICATE_EXPIRATION] > 36h"
      - "[BODY] == pat(*<title>*Example*)"
      - "[RESPONSE_TIME] > 10"
  - name: health
    url: "https://example.org/health"
    conditions:
      - "[BODY] == OK"
      - "[BODY].checks[1].status == pat(*up*)"
      - "[DOMAIN_EXPIRATION] > 720h"
      - "[BODY].queue.depth <= 100"
      - "[BODY].queue.depth > 0"
      - "len([BODY].workers) >= 2"
      - "[STATUS] == 200"
    alerts:
      - type: discord
        enabled: false
  - name: old
    url: "https://old.example.org/"
    enabled: false
  - name: chat
    url: "wss://chat.example.org/ws"
    conditions:
      - "[CONNECTED] == true"
  - name: ssh
    url: "ssh://example.org:22"
    ui:
      hide-hostname: true
  - name: old-name-gone
    url: "1.1.1.1"
    dns:
      query-name: "old.example.org"
      query-type: "MX"
    conditions:
      - "[DNS_RCODE] == NXDOMAIN"
  - name: sip
    url: "1.1.1.1"
    dns:
      query-name: "_sip._tcp.example.org"
      query-type: "SRV"
)yaml");
  CHECK(output == R"yaml(# Imported from Gatus config.yaml by probewatch import.
# schedule: the shortest interval is 1h; run the workflow on cron "0 * * * *"
# metrics: not imported: probewatch keeps its state in GitHub issues and serves nothing
# storage: not imported: probewatch keeps its state in GitHub issues and serves nothing
checks:
  - name: website
    url: https://example.org/
    expect:
      status: ["100-403", "405-499"]
      body_matches: '^[\s\S]*<title>[\s\S]*Example[\s\S]*$'
      cert_days_left: 2
    # interval 1h: probewatch probes each time its workflow runs (see the schedule note at the top)
    # condition "[CERTIFICATE_EXPIRATION] > 36h": rounded up to whole days: cert_days_left: 2
    # condition "[RESPONSE_TIME] > 10": not imported: probewatch bounds the response time from above only (max_response_time)
    # no enabled alert in Gatus: probewatch files an issue whenever this check fails
  - name: health
    url: https://example.org/health
    expect:
      status: 200
      body_matches: '^OK$'
      json:
        /queue/depth: '<= 100'
        /workers: 'len >= 2'
    # condition "[BODY].checks[1].status == pat(*up*)": not imported: no probewatch equivalent
    # condition "[DOMAIN_EXPIRATION] > 720h": not imported: no probewatch equivalent
    # condition "[BODY].queue.depth > 0": not imported: probewatch takes one expectation per JSON Pointer, and /queue/depth has one
    # alert discord: not imported: enabled: false
    # no enabled alert in Gatus: probewatch files an issue whenever this check fails
  # - name: old (not imported)
  #   enabled: false in Gatus
  # - name: chat (not imported)
  #   wss endpoint wss://chat.example.org/ws: probewatch probes HTTP(S), tcp://, tls:// and dns:// only
  # - name: ssh (not imported)
  #   ssh endpoint ssh://example.org:22: probewatch probes HTTP(S), tcp://, tls:// and dns:// only
  - name: old-name-gone
    url: dns://old.example.org
    record: MX
    dns_server: '1.1.1.1'
    expect:
      rcode: NXDOMAIN
    # no enabled alert in Gatus: probewatch files an issue whenever this check fails
  # - name: sip (not imported)
  #   DNS query of type SRV: probewatch asks for A, AAAA, CNAME, MX, TXT or NS
)yaml");
  CHECK(gatus_validated(output) == 3);
}

TEST_CASE("import: Gatus files that cannot be imported") {
  SUBCASE("no endpoints") {
    CHECK(gatus_error("web:\n  port: 8080\n") == "config.yaml: no \"endpoints:\" list; is this a Gatus config.yaml?");
  }
  SUBCASE("only endpoints without an equivalent") {
    CHECK(gatus_error("endpoints:\n  - name: ping\n    url: icmp://example.org\n") ==
          "config.yaml: none of the 1 endpoints has a probewatch equivalent; nothing to import");
  }
  SUBCASE("not YAML") {
    CHECK(gatus_error("endpoints: [\n") == "config.yaml:2:1: invalid YAML: end of sequence flow not found");
  }
}
