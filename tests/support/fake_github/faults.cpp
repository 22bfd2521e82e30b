#include <support/fake_github/faults.hpp>

#include <support/fake_github/fake_json.hpp>

#include <array>
#include <utility>

namespace pw::test {

namespace {

using nlohmann::json;

constexpr std::array<std::pair<FaultKind, std::string_view>, 13> k_names{{
    {FaultKind::http_500, "500"},
    {FaultKind::http_502, "502"},
    {FaultKind::http_503, "503"},
    {FaultKind::unauthorized, "401"},
    {FaultKind::forbidden, "403"},
    {FaultKind::secondary_limit, "secondary_limit"},
    {FaultKind::primary_limit, "primary_limit"},
    {FaultKind::too_many_requests, "429"},
    {FaultKind::gone, "410"},
    {FaultKind::validation, "422"},
    {FaultKind::reset, "reset"},
    {FaultKind::timeout, "timeout"},
    {FaultKind::refuse, "refuse"},
}};

}  // namespace

std::string_view fault_name(FaultKind kind) {
  for (const auto& [candidate, name] : k_names) {
    if (candidate == kind) {
      return name;
    }
  }
  return "unknown";
}

std::expected<FaultKind, std::string> parse_fault_name(std::string_view name) {
  std::string accepted;
  for (const auto& [kind, candidate] : k_names) {
    if (candidate == name) {
      return kind;
    }
    accepted += accepted.empty() ? "" : ", ";
    accepted += candidate;
  }
  return std::unexpected("unknown fault \"" + std::string(name) + "\"; use one of " + accepted);
}

std::expected<FaultRule, std::string> fault_rule_from_json(const json& value) {
  if (!value.is_object() || !value.contains("fault") || !value["fault"].is_string()) {
    return std::unexpected("a fault rule needs \"fault\": a fault name");
  }
  auto kind = parse_fault_name(value["fault"].get<std::string>());
  if (!kind) {
    return std::unexpected(kind.error());
  }
  FaultRule rule;
  rule.fault = *kind;
  try {
    rule.method = value.value("method", "");
    rule.path = value.value("path", "");
    rule.query = value.value("query", "");
    rule.operation = value.value("operation", "");
    rule.nth = value.value("nth", 1);
    rule.times = value.value("times", 1);
    rule.after_apply = value.value("after_apply", false);
    if (value.contains("retry_after") && !value["retry_after"].is_null()) {
      rule.retry_after = value["retry_after"].get<int>();
    }
    rule.delay = std::chrono::milliseconds{value.value("delay_ms", 2000)};
  } catch (const json::exception& error) {
    return std::unexpected(std::string("a fault rule field has the wrong type: ") + error.what());
  }
  if (rule.nth < 1 || rule.times < 0) {
    return std::unexpected("\"nth\" must be at least 1 and \"times\" at least 0");
  }
  return rule;
}

json to_json(const FaultRule& rule) {
  return json{{"fault", fault_name(rule.fault)},
              {"method", rule.method},
              {"path", rule.path},
              {"query", rule.query},
              {"operation", rule.operation},
              {"nth", rule.nth},
              {"times", rule.times},
              {"after_apply", rule.after_apply},
              {"retry_after", rule.retry_after ? json(*rule.retry_after) : json(nullptr)},
              {"delay_ms", rule.delay.count()},
              {"matched", rule.matched},
              {"fired", rule.fired}};
}

bool fault_matches(const FaultRule& rule, std::string_view method, std::string_view path, std::string_view query,
                   std::string_view operation) {
  return (rule.method.empty() || rule.method == method) &&
         (rule.path.empty() || path.find(rule.path) != std::string_view::npos) &&
         (rule.query.empty() || query.find(rule.query) != std::string_view::npos) &&
         (rule.operation.empty() || rule.operation == operation);
}

github::HttpResponse fault_response(const FaultRule& rule, github::TimePoint now) {
  github::HttpResponse response;
  response.headers = {{"content-type", "application/json; charset=utf-8"}};
  auto retry_after = [&] {
    if (rule.retry_after) {
      response.headers.emplace_back("retry-after", std::to_string(*rule.retry_after));
    }
  };
  switch (rule.fault) {
    case FaultKind::http_500:
      response.status = 500;
      response.body = error_body("Server Error", "https://docs.github.com/rest");
      break;
    case FaultKind::http_502:
      response.status = 502;
      response.headers = {{"content-type", "text/html"}};
      response.body = "<html><body><h1>502 Bad Gateway</h1></body></html>";
      break;
    case FaultKind::http_503:
      response.status = 503;
      response.body = error_body("Service Unavailable", "https://docs.github.com/rest");
      break;
    case FaultKind::unauthorized:
      response.status = 401;
      response.body = error_body("Bad credentials", "https://docs.github.com/rest");
      break;
    case FaultKind::forbidden:
      response.status = 403;
      response.body = error_body("Resource not accessible by integration",
                                 "https://docs.github.com/rest/issues/issues#create-an-issue");
      break;
    case FaultKind::secondary_limit:
      response.status = 403;
      retry_after();
      response.body =
          error_body("You have exceeded a secondary rate limit. Please wait a few minutes before you try again.",
                     "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits");
      break;
    case FaultKind::primary_limit: {
      response.status = 403;
      auto reset = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count() +
                   rule.retry_after.value_or(60);
      response.headers.emplace_back("x-ratelimit-limit", "5000");
      response.headers.emplace_back("x-ratelimit-remaining", "0");
      response.headers.emplace_back("x-ratelimit-used", "5000");
      response.headers.emplace_back("x-ratelimit-reset", std::to_string(reset));
      response.headers.emplace_back("x-ratelimit-resource", "core");
      response.body = error_body("API rate limit exceeded for installation ID 1.",
                                 "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api");
      break;
    }
    case FaultKind::too_many_requests:
      response.status = 429;
      retry_after();
      response.body =
          error_body("You have exceeded a secondary rate limit. Please wait a few minutes before you try again.",
                     "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits");
      break;
    case FaultKind::gone:
      response.status = 410;
      response.body = error_body("Issues has been disabled in this repository.",
                                 "https://docs.github.com/rest/issues/issues#create-an-issue");
      break;
    case FaultKind::validation:
      response.status = 422;
      response.body =
          json{{"message", "Validation Failed"},
               {"errors", json::array({json{{"resource", "Issue"},
                                            {"code", "custom"},
                                            {"field", "body"},
                                            {"message", "body is too long (maximum is 65536 characters)"}}})},
               {"documentation_url", "https://docs.github.com/rest/issues/issues#create-an-issue"}}
              .dump();
      break;
    case FaultKind::reset:
    case FaultKind::timeout:
    case FaultKind::refuse: response.status = 0; break;
  }
  return response;
}

}  // namespace pw::test
