// Serving: routing a request, faults, authentication and the primary rate limit.
#include <support/fake_github/fake_github.hpp>

#include <support/fake_github/fake_github_internal.hpp>

#include <github_client/url.hpp>

#include <algorithm>
#include <charconv>
#include <cstdint>

namespace pw::test {

namespace {

using nlohmann::json;

std::vector<std::string> split_path(std::string_view path) {
  std::vector<std::string> segments;
  std::size_t pos = 0;
  while (pos < path.size()) {
    auto next = path.find('/', pos);
    if (next == std::string_view::npos) {
      next = path.size();
    }
    if (next > pos) {
      segments.push_back(github::percent_decode(path.substr(pos, next - pos)));
    }
    pos = next + 1;
  }
  return segments;
}

std::optional<std::int64_t> to_number(std::string_view text) {
  std::int64_t value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc{} || end != text.data() + text.size() || value < 1) {
    return std::nullopt;
  }
  return value;
}

std::string operation_for(std::string_view method, const std::vector<std::string>& rest) {
  if (rest.size() == 1 && rest[0] == "issues") {
    return method == "GET" ? "list_issues" : method == "POST" ? "create_issue" : "unknown";
  }
  if (rest.size() == 2 && rest[0] == "issues") {
    return method == "GET" ? "get_issue" : method == "PATCH" ? "update_issue" : "unknown";
  }
  if (rest.size() == 3 && rest[0] == "issues" && rest[1] == "comments") {
    return method == "DELETE" ? "delete_comment" : "unknown";
  }
  if (rest.size() == 3 && rest[0] == "issues" && rest[2] == "comments") {
    return method == "GET" ? "list_comments" : method == "POST" ? "create_comment" : "unknown";
  }
  if (rest.size() == 3 && rest[0] == "issues" && rest[2] == "labels") {
    return method == "POST" ? "add_labels" : "unknown";
  }
  if (rest.size() == 1 && rest[0] == "labels") {
    return method == "GET" ? "list_labels" : method == "POST" ? "create_label" : "unknown";
  }
  if (rest.size() == 3 && rest[0] == "commits" && rest[2] == "pulls") {
    return method == "GET" ? "list_pulls_for_commit" : "unknown";
  }
  return "unknown";
}

std::vector<std::pair<std::string, std::string>> parse_query(std::string_view query) {
  std::vector<std::pair<std::string, std::string>> params;
  std::size_t pos = 0;
  while (pos <= query.size() && !query.empty()) {
    auto end = query.find('&', pos);
    if (end == std::string_view::npos) {
      end = query.size();
    }
    std::string_view pair = query.substr(pos, end - pos);
    if (!pair.empty()) {
      auto equals = pair.find('=');
      std::string_view key = pair.substr(0, equals);
      std::string_view value = equals == std::string_view::npos ? std::string_view{} : pair.substr(equals + 1);
      params.emplace_back(github::percent_decode(key, true), github::percent_decode(value, true));
    }
    pos = end + 1;
  }
  return params;
}

std::optional<std::string> bearer_token(const github::Headers& headers) {
  const std::string* value = github::find_header(headers, "authorization");
  if (value == nullptr) {
    return std::nullopt;
  }
  for (std::string_view scheme : {"Bearer ", "bearer ", "token ", "Token "}) {
    if (value->starts_with(scheme) && value->size() > scheme.size()) {
      return value->substr(scheme.size());
    }
  }
  return std::nullopt;
}

// Faults that stand for GitHub refusing the request outright: they never apply it.
bool is_rejection(FaultKind fault) {
  return fault == FaultKind::unauthorized || fault == FaultKind::forbidden || fault == FaultKind::gone ||
         fault == FaultKind::validation || fault == FaultKind::refuse;
}

bool is_write(std::string_view method) { return method != "GET" && method != "HEAD"; }

}  // namespace

FaultRule* FakeGitHub::fire_fault(std::string_view method, std::string_view path, std::string_view query,
                                  std::string_view operation) {
  FaultRule* firing = nullptr;
  for (auto& rule : m_faults) {
    if (!fault_matches(rule, method, path, query, operation)) {
      continue;
    }
    rule.matched += 1;
    bool due = rule.matched >= rule.nth && (rule.times == 0 || rule.fired < rule.times);
    if (due && firing == nullptr) {
      rule.fired += 1;
      firing = &rule;
    }
  }
  return firing;
}

void FakeGitHub::add_rate_limit_headers(github::HttpResponse& response) {
  if (github::find_header(response.headers, "x-ratelimit-remaining") != nullptr) {
    return;
  }
  if (!m_rate_reset) {
    m_rate_reset = m_clock.now() + std::chrono::hours{1};
  }
  auto reset = std::chrono::duration_cast<std::chrono::seconds>(m_rate_reset->time_since_epoch()).count();
  response.headers.emplace_back("x-ratelimit-limit", std::to_string(m_options.rate_limit));
  response.headers.emplace_back("x-ratelimit-remaining", std::to_string(m_rate_remaining));
  response.headers.emplace_back("x-ratelimit-reset", std::to_string(reset));
  response.headers.emplace_back("x-ratelimit-used",
                                std::to_string(std::max<std::int64_t>(0, m_options.rate_limit - m_rate_remaining)));
  response.headers.emplace_back("x-ratelimit-resource", "core");
  response.headers.emplace_back("x-github-api-version-selected", "2022-11-28");
}

github::HttpResponse FakeGitHub::handle(const github::HttpRequest& request) { return serve(request).response; }

Served FakeGitHub::serve(const github::HttpRequest& request) {
  std::lock_guard lock(m_mutex);
  Served served;
  LoggedRequest entry{request.method, {}, {}, "unknown", 0, {}, request.body};
  auto url = github::split_url(request.url);
  std::string target = url ? url->target : "/";
  auto question = target.find('?');
  std::string path = target.substr(0, question);
  entry.query = question == std::string::npos ? "" : target.substr(question + 1);
  const std::string& prefix = m_options.api_prefix;
  bool prefixed = prefix.empty() || path == prefix || path.starts_with(prefix + "/");
  entry.path = prefixed ? path.substr(prefix.size()) : path;
  Route route;
  auto segments = split_path(entry.path);
  if (prefixed && segments.size() >= 3 && segments[0] == "repos") {
    route.repo_name = segments[1] + "/" + segments[2];
    route.rest.assign(segments.begin() + 3, segments.end());
  } else if (prefixed && segments.size() >= 2 && segments[0] == "repositories") {
    route.repo_id = to_number(segments[1]);
    route.rest.assign(segments.begin() + 2, segments.end());
  }
  route.operation = operation_for(request.method, route.rest);
  if (route.rest.size() >= 2 && route.rest[0] == "issues") {
    route.number = static_cast<int>(std::clamp<std::int64_t>(to_number(route.rest[1]).value_or(0), 0, INT32_MAX));
  }
  entry.operation = route.operation;

  Context context;
  context.method = request.method;
  context.path = entry.path;
  context.query = entry.query;
  context.params = parse_query(entry.query);
  context.base = UrlBase{(url ? url->origin : std::string("https://api.github.com")) + prefix, m_options.web_url};
  m_last_api_base = context.base.api;

  FaultRule* rule = fire_fault(request.method, entry.path, entry.query, route.operation);
  if (rule != nullptr) {
    entry.fault = std::string(fault_name(rule->fault));
  }
  auto finish = [&](Served result) {
    entry.status = result.drop == Drop::none ? result.response.status : 0;
    m_requests.push_back(std::move(entry));
    return result;
  };
  if (rule != nullptr && rule->fault == FaultKind::refuse) {
    served.drop = Drop::refuse;
    return finish(std::move(served));
  }
  if (rule != nullptr && (!rule->after_apply || is_rejection(rule->fault))) {
    if (rule->fault == FaultKind::reset || rule->fault == FaultKind::timeout) {
      served.drop = rule->fault == FaultKind::reset ? Drop::reset : Drop::timeout;
      served.delay = rule->delay;
      return finish(std::move(served));
    }
    served.response = fault_response(*rule, m_clock.now());
    add_rate_limit_headers(served.response);
    return finish(std::move(served));
  }

  auto token = bearer_token(request.headers);
  if (!token) {
    served.response = json_response(401, error_body("Requires authentication", "https://docs.github.com/rest"));
  } else if (!m_tokens.empty() && !m_tokens.contains(*token)) {
    served.response = json_response(401, error_body("Bad credentials", "https://docs.github.com/rest"));
  } else {
    context.login = m_tokens.empty() ? m_options.default_login : m_tokens[*token];
    auto now = m_clock.now();
    if (m_rate_reset && now >= *m_rate_reset) {
      m_rate_remaining = m_options.rate_limit;
      m_rate_reset = now + std::chrono::hours{1};
    }
    if (m_rate_remaining <= 0) {
      served.response =
          json_response(403, error_body("API rate limit exceeded for installation ID 1.",
                                        "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api"));
    } else {
      m_rate_remaining -= 1;
      served.response = dispatch(route, context, request);
      served.applied = is_write(request.method) && served.response.status >= 200 && served.response.status < 300;
    }
  }
  add_rate_limit_headers(served.response);
  if (rule != nullptr) {
    if (rule->fault == FaultKind::reset || rule->fault == FaultKind::timeout) {
      served.drop = rule->fault == FaultKind::reset ? Drop::reset : Drop::timeout;
      served.delay = rule->delay;
    } else {
      served.response = fault_response(*rule, m_clock.now());
      add_rate_limit_headers(served.response);
    }
  }
  return finish(std::move(served));
}

github::HttpResponse FakeGitHub::dispatch(const Route& route, const Context& context,
                                          const github::HttpRequest& request) {
  FakeRepo* repo = nullptr;
  if (!route.repo_name.empty()) {
    repo = find_repo(route.repo_name);
  } else if (route.repo_id) {
    repo = find_repo_by_id(*route.repo_id);
  }
  auto not_found = [] { return json_response(404, error_body("Not Found", "https://docs.github.com/rest")); };
  if (repo == nullptr || route.operation == "unknown") {
    return not_found();
  }
  if (!repo->issues_enabled && !route.rest.empty() && route.rest[0] == "issues") {
    return json_response(
        410, error_body("Issues has been disabled in this repository.", "https://docs.github.com/rest/issues/issues"));
  }
  if (route.operation == "delete_comment") {
    return delete_comment(*repo, to_number(route.rest[2]).value_or(0));
  }
  if (route.rest.size() >= 2 && route.rest[0] == "issues" && route.number == 0) {
    return not_found();
  }
  if (route.number != 0 && route.operation != "get_issue") {
    // Only reading a deleted issue says so (410); any other request about it finds nothing.
    if (const FakeIssue* issue = find_issue(*repo, route.number); issue != nullptr && issue->deleted) {
      return not_found();
    }
  }
  const std::string& op = route.operation;
  if (op == "list_issues") {
    return list_issues(*repo, context);
  }
  if (op == "create_issue") {
    return create_issue(*repo, context, request.body);
  }
  if (op == "get_issue") {
    return get_issue(*repo, route.number, context);
  }
  if (op == "update_issue") {
    return update_issue(*repo, route.number, context, request.body);
  }
  if (op == "list_comments") {
    return list_comments(*repo, route.number, context);
  }
  if (op == "create_comment") {
    return create_comment(*repo, route.number, context, request.body);
  }
  if (op == "list_labels") {
    return list_labels(*repo, context);
  }
  if (op == "create_label") {
    return create_label(*repo, context, request.body);
  }
  if (op == "add_labels") {
    return add_labels(*repo, route.number, context, request.body);
  }
  if (op == "list_pulls_for_commit") {
    return list_pulls_for_commit(*repo, route.rest[1], context);
  }
  return not_found();
}

}  // namespace pw::test
