// integration.early_warning_binary: domain_warning through the real executable and its real
// clock, against a fake GitHub on loopback, a passing service and a local RDAP server whose
// answers the test sets.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <support/e2e/binary_sandbox.hpp>
#include <support/e2e/http_endpoint.hpp>

#include <github_client/iso8601.hpp>

#include <doctest/doctest.h>
#include <fmt/format.h>
#include <httplib.h>

#include <atomic>
#include <mutex>

using namespace std::chrono_literals;
using pw::test::BinarySandbox;

namespace {

const pw::test::BinaryPaths k_binaries{PROBEWATCH_BINARY, RUSAGE_EXEC_BINARY};

struct EarlyWarning : BinarySandbox {
  std::mutex mutex;
  int rdap_status = 200;
  std::string rdap_body;
  std::atomic<int> rdap_requests{0};
  std::string accept;

  pw::test::HttpEndpoint service{[](const httplib::Request&, httplib::Response& response) {
    response.status = 200;
    response.set_content("{\"status\":\"ok\"}", "application/json");
  }};
  pw::test::HttpEndpoint rdap{[this](const httplib::Request& request, httplib::Response& response) {
    std::lock_guard lock(mutex);
    ++rdap_requests;
    accept = request.get_header_value("Accept");
    if (request.path != "/domain/example.test") {
      response.status = 404;
      response.set_content("{\"errorCode\":404}", "application/rdap+json");
      return;
    }
    response.status = rdap_status;
    response.set_content(rdap_body, "application/rdap+json");
  }};

  EarlyWarning() : BinarySandbox(k_binaries) {
    write_file("probewatch.yml",
               fmt::format("rdap_server: {}\ndefaults: {{ timeout: 5s, retries: 0 }}\nchecks:\n  - id: shop\n    name: "
                           "Shop\n    url: {}\n    domain: example.test\n    domain_warning: 30d\n",
                           rdap.url("/"), service.url("/health")));
  }

  void expires_in(std::chrono::hours left) {
    std::lock_guard lock(mutex);
    rdap_status = 200;
    rdap_body =
        fmt::format(R"({{"objectClassName":"domain","ldhName":"EXAMPLE.TEST","events":[{{"eventAction":"registration",)"
                    R"("eventDate":"2001-01-01T00:00:00Z"}},{{"eventAction":"expiration","eventDate":"{}"}}]}})",
                    github::format_iso8601(std::chrono::system_clock::now() + left));
  }

  pw::test::ProcessResult step() {
    github.clear_requests();
    const pw::test::ProcessResult result = run({"run", "--config", "probewatch.yml"});
    INFO("stdout:\n" << result.out << "\nstderr:\n" << result.err);
    CHECK_FALSE(result.timed_out);
    CHECK(result.exit_code == 0);  // the service passes: warnings never fail the run
    return result;
  }
};

}  // namespace

TEST_CASE("early warning: a domain expiring soon opens its own incident, a renewal closes it") {
  EarlyWarning w;
  w.expires_in(24h * 12 + 1h);
  w.step();
  CHECK(w.rdap_requests == 1);
  CHECK(w.accept == "application/rdap+json");
  const auto warnings = w.incidents("shop:domain");
  REQUIRE(warnings.size() == 1);
  CHECK(warnings[0].title == "Shop domain expires soon");
  CHECK(warnings[0].body.value_or("").find("the domain example.test expires in 12 days (") != std::string::npos);
  CHECK(w.incidents("shop").empty());  // the service itself is fine

  SUBCASE("an RDAP server that fails leaves it open and says why") {
    {
      std::lock_guard lock(w.mutex);
      w.rdap_status = 503;
    }
    const auto result = w.step();
    CHECK(result.err.find(fmt::format("probewatch: warning: could not read the registration of example.test: the RDAP "
                                      "server answered 503 for {}domain/example.test; the domain warning of shop "
                                      "stays as it was\n",
                                      w.rdap.url("/"))) != std::string::npos);
    CHECK(w.incidents("shop:domain").size() == 1);
  }
  SUBCASE("renewed, it closes with a recovery note") {
    w.expires_in(24h * 365);
    w.step();
    CHECK(w.incidents("shop:domain").empty());
    const auto closed = w.incidents("shop:domain", "closed");
    REQUIRE(closed.size() == 1);
    CHECK(closed[0].state_reason == "completed");
  }
}
