#include <support/fake_github/control_api.hpp>

#include <support/fake_github/fake_json.hpp>

#include <github_client/iso8601.hpp>

#include <stdexcept>

namespace pw::test {

namespace {

using nlohmann::json;

github::HttpResponse reply(int status, const json& body) {
  return github::HttpResponse{status, {{"content-type", "application/json; charset=utf-8"}}, dump_json(body)};
}

github::HttpResponse bad_request(std::string_view message) { return reply(400, json{{"error", message}}); }

std::optional<github::TimePoint> time_field(const json& input, const char* key) {
  if (!input.contains(key) || input[key].is_null()) {
    return std::nullopt;
  }
  auto parsed = github::parse_iso8601(input[key].get<std::string>());
  if (!parsed) {
    throw std::invalid_argument(std::string("\"") + key + "\" is not an ISO 8601 time");
  }
  return parsed;
}

SeedIssue seed_from_json(const json& input) {
  SeedIssue seed;
  seed.title = input.value("title", "");
  seed.body = input.value("body", "");
  seed.labels = input.value("labels", std::vector<std::string>{});
  seed.assignees = input.value("assignees", std::vector<std::string>{});
  seed.author = input.value("author", "octocat");
  seed.state = input.value("state", "open");
  seed.state_reason = input.value("state_reason", "");
  seed.created_at = time_field(input, "created_at");
  seed.updated_at = time_field(input, "updated_at");
  seed.closed_at = time_field(input, "closed_at");
  return seed;
}

github::HttpResponse post(FakeGitHub& github, std::string_view path, const json& input) {
  if (path == "/repos") {
    auto id = github.add_repo(input.at("repo").get<std::string>());
    github.set_issues_enabled(input.at("repo").get<std::string>(), input.value("issues_enabled", true));
    return reply(201, json{{"id", id}});
  }
  if (path == "/issues") {
    std::string repo = input.at("repo").get<std::string>();
    int number = input.value("pull_request", false) ? github.add_pull_request(repo, seed_from_json(input))
                                                    : github.add_issue(repo, seed_from_json(input));
    return reply(201, json{{"number", number}});
  }
  if (path == "/comments") {
    auto id = github.add_comment(input.at("repo").get<std::string>(), input.at("number").get<int>(),
                                 input.at("body").get<std::string>(), input.value("author", "octocat"),
                                 time_field(input, "created_at"));
    return reply(201, json{{"id", id}});
  }
  if (path == "/commits") {
    github.add_commit(input.at("repo").get<std::string>(), input.at("sha").get<std::string>(),
                      input.value("pulls", std::vector<int>{}), input.value("merged", true));
    return reply(201, json::object());
  }
  if (path == "/labels") {
    github.add_label(input.at("repo").get<std::string>(), input.at("name").get<std::string>(),
                     input.value("color", "ededed"), input.value("description", ""));
    return reply(201, json::object());
  }
  if (path == "/faults") {
    auto rule = fault_rule_from_json(input);
    if (!rule) {
      return bad_request(rule.error());
    }
    github.inject(std::move(*rule));
    return reply(201, json{{"faults", github.faults().size()}});
  }
  if (path == "/rate_limit") {
    github.set_rate_limit(input.at("remaining").get<std::int64_t>(), time_field(input, "reset"));
    return reply(200, json::object());
  }
  if (path == "/tokens") {
    github.add_token(input.at("token").get<std::string>(), input.value("login", "github-actions[bot]"));
    return reply(200, json::object());
  }
  if (path == "/time") {
    ManualClock* clock = github.manual_clock();
    if (clock == nullptr) {
      return reply(409, json{{"error", "this fake runs on a clock it was given; it cannot be set"}});
    }
    if (auto now = time_field(input, "now")) {
      clock->set(*now);
    }
    if (input.contains("advance_seconds")) {
      clock->advance(std::chrono::seconds{input["advance_seconds"].get<std::int64_t>()});
    }
    return reply(200, json{{"now", github::format_iso8601(clock->now())}});
  }
  if (path == "/reset") {
    github.reset();
    return reply(200, json::object());
  }
  return reply(404, json{{"error", "no such control endpoint"}});
}

}  // namespace

github::HttpResponse handle_control(FakeGitHub& github, std::string_view method, std::string_view path,
                                    const std::string& body) {
  if (path.starts_with("/_fake")) {
    path.remove_prefix(6);
  }
  try {
    if (method == "GET" && path == "/state") {
      return reply(200, github.dump());
    }
    if (method == "GET" && path == "/requests") {
      return reply(200, github.dump()["requests"]);
    }
    if (method == "DELETE" && path == "/faults") {
      github.clear_faults();
      return reply(200, json::object());
    }
    if (method != "POST") {
      return reply(404, json{{"error", "no such control endpoint"}});
    }
    json input = body.empty() ? json::object() : json::parse(body);
    if (!input.is_object()) {
      return bad_request("the body must be a JSON object");
    }
    return post(github, path, input);
  } catch (const std::exception& error) {
    return bad_request(error.what());
  }
}

}  // namespace pw::test
