// `probewatch validate` in process: it rejects what a run would reject, with file:line:col.
#include <support/app/app_harness.hpp>

#include <doctest/doctest.h>

#include <fstream>

using pw::test::AppHarness;

TEST_CASE("validate: a missing ca_file is a config error at its line, for validate and run alike") {
  AppHarness h;
  h.write_config("checks:\n  - name: Private\n    url: https://private.test/\n    ca_file: missing-ca.pem\n");
  const std::string expected =
      "probewatch.yml:4:14: \"ca_file\": cannot read missing-ca.pem: No such file or "
      "directory; give the path of the CA's PEM file, relative to the working folder\n";
  SUBCASE("validate") {
    const auto result = h.run({"validate", "--config", "probewatch.yml"});
    CHECK(result.exit_code == 2);
    CHECK(result.err == expected);
    CHECK(result.out.empty());
  }
  SUBCASE("run files nothing") {
    const auto result = h.run_config();
    CHECK(result.exit_code == 2);
    CHECK(result.err == expected);
    CHECK(h.github.requests().empty());
  }
  SUBCASE("the file there: ok") {
    std::ofstream(h.path("missing-ca.pem")) << "-----BEGIN CERTIFICATE-----\n";
    const auto result = h.run({"validate", "--config", "probewatch.yml"});
    CHECK(result.exit_code == 0);
    CHECK(result.out == "probewatch.yml: ok, 1 check\n");
  }
}
