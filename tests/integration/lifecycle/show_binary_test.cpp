// integration.lifecycle_binary, `probewatch show`: the real binary prints one incident from the
// fake GitHub on loopback and from a local tracker file, as text and as JSON.
#include <support/e2e/binary_sandbox.hpp>
#include <support/e2e/http_endpoint.hpp>

#include <doctest/doctest.h>
#include <fmt/format.h>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include <atomic>

using nlohmann::json;
using pw::test::BinarySandbox;

namespace {

struct ShowSandbox : BinarySandbox {
  ShowSandbox() : BinarySandbox({PROBEWATCH_BINARY, ""}) {
    write_file("probewatch.yml",
               fmt::format("defaults: {{ timeout: 5s, retries: 0 }}\nchecks:\n  - id: api-health\n    name: API "
                           "health\n    url: {}\n    expect: {{ status: 200 }}\n",
                           service.url("/health")));
  }
  std::atomic<int> status{503};
  pw::test::HttpEndpoint service{[this](const httplib::Request&, httplib::Response& response) {
    response.status = status.load();
    response.set_content(R"({"status":"down"})", "application/json");
  }};
};

}  // namespace

TEST_CASE("show: one incident from GitHub, as text and as JSON, open and then closed") {
  ShowSandbox s;
  REQUIRE(s.run({"run", "--config", "probewatch.yml"}).exit_code == 1);
  const auto opened = s.incidents("api-health");
  REQUIRE(opened.size() == 1);
  const int number = opened[0].number;
  const std::string url = fmt::format("{}/{}/issues/{}", BinarySandbox::k_web_url, BinarySandbox::k_repo, number);

  const auto text = s.run({"show", std::to_string(number)});
  INFO(text.out << text.err);
  CHECK(text.exit_code == 0);
  CHECK(text.out.starts_with(fmt::format("#{} [open] API health is failing\ncheck:    api-health\n", number)));
  CHECK(text.out.find("\nlatest:   status 503 not in [200] (as of ") != std::string::npos);
  CHECK(text.out.find("\nlink:     " + url + "\n") != std::string::npos);
  CHECK(text.out.find("\n  Reason: status 503 not in [200]\n") != std::string::npos);
  CHECK(text.out.find("  opened by ") != std::string::npos);
  CHECK(text.out.find("<!--") == std::string::npos);
  CHECK(text.out.find(BinarySandbox::k_token) == std::string::npos);

  s.status = 200;
  REQUIRE(s.run({"run", "--config", "probewatch.yml"}).exit_code == 0);
  const auto closed = s.run({"show", std::to_string(number), "--json"});
  CHECK(closed.exit_code == 0);
  const json parsed = json::parse(closed.out, nullptr, false);
  REQUIRE(parsed.is_object());
  CHECK(parsed["issue"] == number);
  CHECK(parsed["state"] == "closed");
  CHECK(parsed["state_reason"] == "completed");
  CHECK(parsed["check"] == "api-health");
  CHECK(parsed["url"] == url);
  REQUIRE(parsed["timeline"].size() == 3);
  CHECK(parsed["timeline"][0]["kind"] == "opened");
  CHECK(parsed["timeline"][1]["kind"] == "comment");
  CHECK(parsed["timeline"][1]["text"].get<std::string>().starts_with("Recovered after "));
  CHECK(parsed["timeline"][2]["kind"] == "closed");

  const auto missing = s.run({"show", "999"});
  CHECK(missing.exit_code == 2);
  CHECK(missing.err ==
        "probewatch: no issue #999 in octo/e2e on GitHub; `probewatch triage` lists the incidents there\n");
}

TEST_CASE("show: one incident from a local tracker file") {
  ShowSandbox s;
  REQUIRE(s.run({"run", "--config", "probewatch.yml", "--tracker", "local:issues.json"}).exit_code == 1);
  const auto text = s.run({"show", "1", "--tracker", "local:issues.json"});
  INFO(text.out << text.err);
  CHECK(text.exit_code == 0);
  CHECK(text.out.starts_with("#1 [open] API health is failing\ncheck:    api-health\n"));
  CHECK(text.out.find("\nlink:     issues.json#1\n") != std::string::npos);
  const auto missing = s.run({"show", "9", "--tracker", "local:issues.json"});
  CHECK(missing.exit_code == 2);
  CHECK(missing.err ==
        "probewatch: no issue #9 in local file issues.json; `probewatch triage` lists the incidents there\n");
}
