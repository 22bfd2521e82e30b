#include <bot/action/deployment_event.hpp>

#include <bot/core/text.hpp>
#include <bot/model/url.hpp>
#include <base/iso8601.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>

namespace pw {

namespace {

using nlohmann::json;

constexpr int k_max_depth = 64;
constexpr std::size_t k_max_field_bytes = 2048;
constexpr std::size_t k_shown_bytes = 60;
constexpr std::array<std::string_view, 7> k_states = {"pending", "queued", "in_progress", "success",
                                                      "failure", "error",  "inactive"};
constexpr const char* k_what_to_do = "GITHUB_EVENT_PATH must be the deployment_status event GitHub wrote for this run";

// Returns the deepest nesting of objects and arrays in `text`, reading strings correctly, without
// building anything, so a hostile file cannot exhaust the stack of a parser.
int nesting_depth(std::string_view text) {
  int depth = 0;
  int deepest = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      deepest = std::max(deepest, ++depth);
    } else if (c == '}' || c == ']') {
      --depth;
    }
  }
  return deepest;
}

class EventReader {
 public:
  explicit EventReader(const std::string& where) : m_where(where) {}

  std::unexpected<Error> error(const std::string& message) const {
    return fail(fmt::format("{}: {}", m_where, message));
  }

  Expected<const json*> object(const json& parent, const char* name) const {
    const auto found = parent.find(name);
    if (found == parent.end()) {
      return error(fmt::format("\"{}\" is missing: this is not a deployment_status event; {}", name, k_what_to_do));
    }
    if (!found->is_object()) {
      return error(fmt::format("\"{}\" must be an object, not {}", name, type_words(*found)));
    }
    return &*found;
  }

  // A string field; "" when absent or null and not required.
  Expected<std::string> text(const json& parent, const char* object, const char* name, bool required) const {
    const auto found = parent.find(name);
    if (found == parent.end() || found->is_null()) {
      if (required) {
        return error(fmt::format("\"{}.{}\" is missing; {}", object, name, k_what_to_do));
      }
      return std::string();
    }
    if (!found->is_string()) {
      return error(fmt::format("\"{}.{}\" must be a string, not {}", object, name, type_words(*found)));
    }
    const std::string& value = found->get_ref<const std::string&>();
    if (value.size() > k_max_field_bytes) {
      return error(
          fmt::format("\"{}.{}\" is {} bytes long, more than {}", object, name, value.size(), k_max_field_bytes));
    }
    if (sanitize_utf8(value) != value) {
      return error(fmt::format("\"{}.{}\" holds control characters or invalid UTF-8: {}", object, name,
                               quote(value, k_shown_bytes)));
    }
    return value;
  }

  Expected<TimePoint> time(const json& parent, const char* object, const char* name) const {
    auto value = text(parent, object, name, true);
    if (!value) {
      return std::unexpected(value.error());
    }
    const auto parsed = base::parse_iso8601(*value);
    if (!parsed) {
      return error(fmt::format("\"{}.{}\" must be an ISO 8601 time such as 2026-12-02T05:00:00Z, not {}", object, name,
                               quote(*value, k_shown_bytes)));
    }
    return *parsed;
  }

  Expected<std::string> url(const json& parent, const char* object, const char* name) const {
    auto value = text(parent, object, name, false);
    if (!value || value->empty()) {
      return value;
    }
    if (!parse_url(*value)) {
      return error(fmt::format("\"{}.{}\" must be an http:// or https:// URL without credentials, not {}", object, name,
                               quote(*value, k_shown_bytes)));
    }
    return value;
  }

 private:
  static std::string type_words(const json& value) {
    switch (value.type()) {
      case json::value_t::object: return "an object";
      case json::value_t::array: return "an array";
      case json::value_t::string: return "a string";
      case json::value_t::boolean: return "a boolean";
      case json::value_t::null: return "null";
      default: return "a number";
    }
  }

  const std::string& m_where;
};

bool valid_sha(std::string_view sha) { return (sha.size() == 40 || sha.size() == 64) && is_hex(sha); }

}  // namespace

Expected<Deployment> parse_deployment_event(std::string_view text, const std::string& where) {
  const EventReader read(where);
  if (text.size() > k_event_file_limit) {
    return read.error(fmt::format("the event file is {} bytes, more than the {} read; {}", text.size(),
                                  k_event_file_limit, k_what_to_do));
  }
  if (nesting_depth(text) > k_max_depth) {
    return read.error(fmt::format("the event nests deeper than {} levels; {}", k_max_depth, k_what_to_do));
  }
  const json event = json::parse(text, nullptr, false);
  if (event.is_discarded()) {
    return read.error(fmt::format("not valid JSON; {}", k_what_to_do));
  }
  if (!event.is_object()) {
    return read.error(fmt::format("the event must be a JSON object; {}", k_what_to_do));
  }
  auto status = read.object(event, "deployment_status");
  if (!status) {
    return std::unexpected(status.error());
  }
  auto deployment = read.object(event, "deployment");
  if (!deployment) {
    return std::unexpected(deployment.error());
  }
  Deployment out;
  const auto id = (*deployment)->find("id");
  if (id != (*deployment)->end() && !id->is_null()) {
    if (!id->is_number_integer()) {
      return read.error("\"deployment.id\" must be a whole number");
    }
    out.id = id->get<std::int64_t>();
  }
  auto state = read.text(**status, "deployment_status", "state", true);
  if (!state) {
    return std::unexpected(state.error());
  }
  if (std::find(k_states.begin(), k_states.end(), *state) == k_states.end()) {
    return read.error(fmt::format("\"deployment_status.state\" is {}, not one of {}", quote(*state, k_shown_bytes),
                                  fmt::join(k_states, ", ")));
  }
  out.state = std::move(*state);
  auto sha = read.text(**deployment, "deployment", "sha", true);
  if (!sha) {
    return std::unexpected(sha.error());
  }
  if (!valid_sha(*sha)) {
    return read.error(fmt::format("\"deployment.sha\" must be a commit SHA of 40 (or 64) hex digits, not {}",
                                  quote(*sha, k_shown_bytes)));
  }
  out.sha = to_lower(*sha);
  auto ref = read.text(**deployment, "deployment", "ref", false);
  auto environment = read.text(**deployment, "deployment", "environment", false);
  auto environment_url = read.url(**status, "deployment_status", "environment_url");
  auto target_url = read.url(**status, "deployment_status", "target_url");
  auto log_url = read.url(**status, "deployment_status", "log_url");
  auto created = read.time(**deployment, "deployment", "created_at");
  auto posted = read.time(**status, "deployment_status", "created_at");
  for (const auto* field : {&ref, &environment, &environment_url, &target_url, &log_url}) {
    if (!*field) {
      return std::unexpected(field->error());
    }
  }
  for (const auto* field : {&created, &posted}) {
    if (!*field) {
      return std::unexpected(field->error());
    }
  }
  out.ref = std::move(*ref);
  out.environment = std::move(*environment);
  out.environment_url = !environment_url->empty() ? std::move(*environment_url) : std::move(*target_url);
  out.log_url = std::move(*log_url);
  out.created_at = *created;
  out.status_at = *posted;
  return out;
}

Expected<std::optional<Deployment>> deployment_of_run(const Environment& env, Files& files) {
  if (lookup(env, "GITHUB_EVENT_NAME").value_or("") != "deployment_status") {
    return std::optional<Deployment>();
  }
  const auto path = lookup(env, "GITHUB_EVENT_PATH");
  if (!path || path->empty()) {
    return fail(
        "GITHUB_EVENT_NAME is deployment_status, but GITHUB_EVENT_PATH is not set: probewatch reads the deployment "
        "from the event file GitHub writes; set it to that file");
  }
  auto text = files.read(*path);
  if (!text) {
    return fail(fmt::format("the deployment_status event: {}", text.error().message));
  }
  auto parsed = parse_deployment_event(*text, *path);
  if (!parsed) {
    return std::unexpected(parsed.error());
  }
  return std::optional<Deployment>(std::move(*parsed));
}

std::map<std::string, std::string> deployment_variables(const Deployment& deployment) {
  std::map<std::string, std::string> variables{{"PROBEWATCH_DEPLOY_SHA", deployment.sha},
                                               {"PROBEWATCH_DEPLOY_REF", deployment.ref},
                                               {"PROBEWATCH_DEPLOY_ENVIRONMENT", deployment.environment}};
  if (!deployment.environment_url.empty()) {
    std::string url = deployment.environment_url;
    while (url.ends_with('/')) {
      url.pop_back();  // so `${PROBEWATCH_DEPLOY_URL}/health` has one slash
    }
    variables.emplace("PROBEWATCH_DEPLOY_URL", std::move(url));
  }
  return variables;
}

}  // namespace pw
