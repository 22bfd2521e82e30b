#include <support/app/app_harness.hpp>

#include <doctest/doctest.h>

#include <fstream>

using pw::test::AppHarness;

TEST_CASE("cli: import prints a config that validate accepts") {
  AppHarness app;
  SUBCASE("upptime") {
    std::ofstream(app.path(".upptimerc.yml")) << "owner: koj-co\nrepo: upptime\nsites:\n"
                                                 "  - name: Google\n    url: https://www.google.com\n"
                                                 "    expectedStatusCodes: [200]\n";
    const AppHarness::Result imported = app.run({"import", "upptime", ".upptimerc.yml"});
    REQUIRE(imported.exit_code == 0);
    CHECK(imported.err.empty());
    app.write_config(imported.out);
    const AppHarness::Result validated = app.run({"validate", "--config", "probewatch.yml"});
    CHECK(validated.exit_code == 0);
    CHECK(validated.out == "probewatch.yml: ok, 1 check\n");
  }
  SUBCASE("gatus") {
    std::ofstream(app.path("config.yaml")) << "endpoints:\n  - name: api\n    url: https://api.example.org/\n"
                                              "    conditions: [\"[STATUS] == 200\", \"[RESPONSE_TIME] < 300\"]\n";
    const AppHarness::Result imported = app.run({"import", "gatus", "config.yaml"});
    REQUIRE(imported.exit_code == 0);
    CHECK(imported.out.find("      max_response_time: 299ms\n") != std::string::npos);
    app.write_config(imported.out);
    CHECK(app.run({"validate", "--config", "probewatch.yml"}).out == "probewatch.yml: ok, 1 check\n");
  }
}

TEST_CASE("cli: import fails with exit code 2 on a missing file or an unknown format") {
  AppHarness app;
  SUBCASE("missing file") {
    const AppHarness::Result result = app.run({"import", "gatus", "missing.yaml"});
    CHECK(result.exit_code == 2);
    CHECK(result.out.empty());
    CHECK(result.err == "probewatch: cannot read missing.yaml: No such file or directory\n");
  }
  SUBCASE("unknown format") {
    const AppHarness::Result result = app.run({"import", "uptime-kuma", "backup.json"});
    CHECK(result.exit_code == 2);
    CHECK(result.err.find("format: uptime-kuma not in {upptime,gatus}") != std::string::npos);
  }
}
