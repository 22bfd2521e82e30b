#include <bot/action/deployment_event.hpp>

#include <github_client/iso8601.hpp>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <string>

namespace {

using nlohmann::json;

// A deployment_status event as GitHub writes it for a Vercel-style deploy (trimmed to what matters,
// plus some of the fields around it).
json event_json() {
  return json::parse(R"({
    "action": "created",
    "deployment_status": {
      "url": "https://api.github.com/repos/octo/app/deployments/42/statuses/7",
      "id": 7,
      "state": "success",
      "creator": {"login": "vercel[bot]"},
      "description": "Deployment has completed",
      "environment": "Production",
      "target_url": "https://vercel.com/octo/app/abc",
      "log_url": "https://vercel.com/octo/app/abc/logs",
      "environment_url": "https://app-abc.vercel.app/",
      "created_at": "2026-12-02T05:03:00Z",
      "updated_at": "2026-12-02T05:03:00Z"
    },
    "deployment": {
      "url": "https://api.github.com/repos/octo/app/deployments/42",
      "id": 42,
      "sha": "3F2A9C1D4E5B6A7980112233445566778899AABB",
      "ref": "main",
      "task": "deploy",
      "payload": {},
      "environment": "Production",
      "created_at": "2026-12-02T05:00:00Z"
    },
    "repository": {"full_name": "octo/app"},
    "sender": {"login": "vercel[bot]"}
  })");
}

std::string event_error(const json& value) {
  auto parsed = pw::parse_deployment_event(value.dump(), "event.json");
  REQUIRE_FALSE(parsed.has_value());
  return parsed.error().message;
}

std::string event_text_error(const std::string& text) {
  auto parsed = pw::parse_deployment_event(text, "event.json");
  REQUIRE_FALSE(parsed.has_value());
  return parsed.error().message;
}

const char* const k_event_hint = "GITHUB_EVENT_PATH must be the deployment_status event GitHub wrote for this run";

}  // namespace

TEST_CASE("deployment_event: reads the fields of a deployment_status event") {
  auto parsed = pw::parse_deployment_event(event_json().dump(), "event.json");
  REQUIRE_MESSAGE(parsed.has_value(), parsed.error().message);
  CHECK(parsed->id == 42);
  CHECK(parsed->state == "success");
  CHECK(parsed->environment == "Production");
  CHECK(parsed->environment_url == "https://app-abc.vercel.app/");
  CHECK(parsed->log_url == "https://vercel.com/octo/app/abc/logs");
  CHECK(parsed->sha == "3f2a9c1d4e5b6a7980112233445566778899aabb");  // lower-cased
  CHECK(parsed->ref == "main");
  CHECK(parsed->created_at == *github::parse_iso8601("2026-12-02T05:00:00Z"));
  CHECK(parsed->status_at == *github::parse_iso8601("2026-12-02T05:03:00Z"));

  SUBCASE("without environment_url, target_url is the deployment's address") {
    json value = event_json();
    value["deployment_status"].erase("environment_url");
    CHECK(pw::parse_deployment_event(value.dump(), "e")->environment_url == "https://vercel.com/octo/app/abc");
    value["deployment_status"]["target_url"] = "";
    CHECK(pw::parse_deployment_event(value.dump(), "e")->environment_url.empty());
  }
  SUBCASE("null ref and environment read as empty") {
    json value = event_json();
    value["deployment"]["ref"] = nullptr;
    value["deployment"].erase("environment");
    auto lenient = pw::parse_deployment_event(value.dump(), "e");
    REQUIRE(lenient.has_value());
    CHECK(lenient->ref.empty());
    CHECK(lenient->environment.empty());
  }
}

TEST_CASE("deployment_event: malformed and hostile event files fail with what is wrong and where") {
  CHECK(event_text_error("{\"deployment_status\": ") == std::string("event.json: not valid JSON; ") + k_event_hint);
  CHECK(event_text_error("") == std::string("event.json: not valid JSON; ") + k_event_hint);
  CHECK(event_text_error("[1, 2]") == std::string("event.json: the event must be a JSON object; ") + k_event_hint);
  CHECK(event_text_error(std::string(100000, '[') + std::string(100000, ']')) ==
        std::string("event.json: the event nests deeper than 64 levels; ") + k_event_hint);
  // Brackets inside strings are text, not nesting.
  json deep_text = event_json();
  deep_text["deployment_status"]["description"] = std::string(1000, '[');
  CHECK(pw::parse_deployment_event(deep_text.dump(), "e").has_value());
  CHECK(event_text_error(std::string(pw::k_event_file_limit + 1, ' ')) ==
        std::string("event.json: the event file is 4194305 bytes, more than the 4194304 read; ") + k_event_hint);

  json push = {{"ref", "refs/heads/main"}, {"after", "abc"}};
  CHECK(event_error(push) ==
        std::string("event.json: \"deployment_status\" is missing: this is not a deployment_status event; ") +
            k_event_hint);
  json value = event_json();
  value["deployment"] = "main";
  CHECK(event_error(value) == "event.json: \"deployment\" must be an object, not a string");

  value = event_json();
  value["deployment_status"]["state"] = 3;
  CHECK(event_error(value) == "event.json: \"deployment_status.state\" must be a string, not a number");
  value["deployment_status"]["state"] = "exploded";
  CHECK(event_error(value) ==
        "event.json: \"deployment_status.state\" is \"exploded\", not one of pending, queued, in_progress, success, "
        "failure, error, inactive");
  value["deployment_status"].erase("state");
  CHECK(event_error(value) == std::string("event.json: \"deployment_status.state\" is missing; ") + k_event_hint);

  value = event_json();
  value["deployment"]["sha"] = "main; rm -rf /";
  CHECK(event_error(value) ==
        "event.json: \"deployment.sha\" must be a commit SHA of 40 (or 64) hex digits, not \"main; rm -rf /\"");
  value["deployment"]["sha"] = "../../../issues/1";
  CHECK(event_error(value) ==
        "event.json: \"deployment.sha\" must be a commit SHA of 40 (or 64) hex digits, not \"../../../issues/1\"");

  value = event_json();
  value["deployment_status"]["environment_url"] = "javascript:alert(1)";
  CHECK(event_error(value) ==
        "event.json: \"deployment_status.environment_url\" must be an http:// or https:// URL without credentials, "
        "not \"javascript:alert(1)\"");
  value["deployment_status"]["environment_url"] = "https://user:pass@app.example.com/";
  CHECK(event_error(value).starts_with("event.json: \"deployment_status.environment_url\" must be an http://"));

  value = event_json();
  value["deployment"]["created_at"] = "yesterday";
  CHECK(event_error(value) ==
        "event.json: \"deployment.created_at\" must be an ISO 8601 time such as 2026-12-02T05:00:00Z, not "
        "\"yesterday\"");
  value = event_json();
  value["deployment"]["id"] = "42";
  CHECK(event_error(value) == "event.json: \"deployment.id\" must be a whole number");

  value = event_json();
  value["deployment"]["environment"] = "prod\x1b[2J";
  CHECK(event_error(value) ==
        "event.json: \"deployment.environment\" holds control characters or invalid UTF-8: \"prod\xEF\xBF\xBD[2J\"");
  value["deployment"]["environment"] = std::string(3000, 'x');
  CHECK(event_error(value) == "event.json: \"deployment.environment\" is 3000 bytes long, more than 2048");
}

TEST_CASE("deployment_event: only a deployment_status run reads the event file") {
  struct NoFiles : pw::Files {
    int reads = 0;
    pw::Expected<std::string> read(const std::string& path) override {
      ++reads;
      if (path == "/github/workflow/event.json") {
        return event_json().dump();
      }
      return pw::fail("cannot read " + path + ": No such file or directory");
    }
    pw::Expected<void> write(const std::string&, const std::string&) override { return {}; }
    pw::Expected<void> append(const std::string&, const std::string&) override { return {}; }
    pw::Expected<std::map<std::string, std::string>> read_folder(const std::string&) override {
      return std::map<std::string, std::string>{};
    }
  } files;
  auto none = pw::deployment_of_run({{"GITHUB_EVENT_NAME", "schedule"}, {"GITHUB_EVENT_PATH", "/x"}}, files);
  REQUIRE(none.has_value());
  CHECK_FALSE(none->has_value());
  CHECK(files.reads == 0);

  auto found = pw::deployment_of_run(
      {{"GITHUB_EVENT_NAME", "deployment_status"}, {"GITHUB_EVENT_PATH", "/github/workflow/event.json"}}, files);
  REQUIRE(found.has_value());
  REQUIRE(found->has_value());
  CHECK((*found)->id == 42);

  CHECK(pw::deployment_of_run({{"GITHUB_EVENT_NAME", "deployment_status"}}, files).error().message ==
        "GITHUB_EVENT_NAME is deployment_status, but GITHUB_EVENT_PATH is not set: probewatch reads the deployment "
        "from the event file GitHub writes; set it to that file");
  CHECK(pw::deployment_of_run({{"GITHUB_EVENT_NAME", "deployment_status"}, {"GITHUB_EVENT_PATH", "/gone.json"}}, files)
            .error()
            .message == "the deployment_status event: cannot read /gone.json: No such file or directory");

  const auto variables = pw::deployment_variables(**found);
  CHECK(variables == std::map<std::string, std::string>{
                         {"PROBEWATCH_DEPLOY_ENVIRONMENT", "Production"},
                         {"PROBEWATCH_DEPLOY_REF", "main"},
                         {"PROBEWATCH_DEPLOY_SHA", "3f2a9c1d4e5b6a7980112233445566778899aabb"},
                         {"PROBEWATCH_DEPLOY_URL", "https://app-abc.vercel.app"},  // no trailing slash
                     });
}
