#include <support/replay/replay_server.hpp>

#include <support/serve.hpp>

#include <github_client/url.hpp>

#include <httplib.h>

#include <fmt/format.h>

#include <stdexcept>

namespace pw::test {

namespace {

using nlohmann::json;

constexpr std::string_view k_recorded_origin = "https://api.github.com";

void replace_all(std::string& text, std::string_view needle, std::string_view replacement) {
  for (auto pos = text.find(needle); pos != std::string::npos; pos = text.find(needle, pos + replacement.size())) {
    text.replace(pos, needle.size(), replacement);
  }
}

std::string path_of(std::string_view target) { return std::string(target.substr(0, target.find('?'))); }

// The decoded value of query parameter `name`, or empty.
std::string query_param(std::string_view target, std::string_view name) {
  auto question = target.find('?');
  if (question == std::string_view::npos) {
    return {};
  }
  std::string_view query = target.substr(question + 1);
  std::size_t pos = 0;
  while (pos < query.size()) {
    auto end = std::min(query.find('&', pos), query.size());
    std::string_view pair = query.substr(pos, end - pos);
    if (pair.starts_with(name) && pair.size() > name.size() && pair[name.size()] == '=') {
      return github::percent_decode(pair.substr(name.size() + 1), true);
    }
    pos = end + 1;
  }
  return {};
}

bool is_hop_by_hop(std::string_view name) {
  return name == "content-length" || name == "connection" || name == "transfer-encoding" ||
         name == "content-encoding" || name == "content-type" || name == "keep-alive";
}

}  // namespace

ReplayServer::ReplayServer() = default;

ReplayServer::~ReplayServer() { stop(); }

void ReplayServer::start() {
  if (m_server) {
    return;
  }
  m_server = std::make_unique<httplib::Server>();
  m_server->set_tcp_nodelay(true);
  route_everything(*m_server,
                   [this](const httplib::Request& request, httplib::Response& response) { serve(request, response); });
  try {
    m_port = serve_on_thread(*m_server, m_thread, "127.0.0.1", 0, "replay server");
  } catch (...) {
    m_server.reset();
    throw;
  }
}

void ReplayServer::stop() {
  if (!m_server) {
    return;
  }
  stop_serving(*m_server, m_thread);
  m_server.reset();
}

std::string ReplayServer::add_scenario(std::vector<RecordedExchange> exchanges) {
  std::lock_guard lock(m_mutex);
  Scenario scenario;
  scenario.id = std::to_string(m_scenarios.size() + 1);
  scenario.root = fmt::format("http://127.0.0.1:{}/api.github.com/{}", m_port, scenario.id);
  for (auto& exchange : exchanges) {
    for (auto& [name, value] : exchange.headers) {
      replace_all(value, k_recorded_origin, scenario.root);
    }
    replace_all(exchange.body, k_recorded_origin, scenario.root);
  }
  scenario.consumed.assign(exchanges.size(), false);
  scenario.exchanges = std::move(exchanges);
  m_scenarios.push_back(std::move(scenario));
  return m_scenarios.back().root;
}

std::vector<std::string> ReplayServer::pending(const std::string& api_root) const {
  std::lock_guard lock(m_mutex);
  std::vector<std::string> left;
  for (const auto& scenario : m_scenarios) {
    if (scenario.root != api_root) {
      continue;
    }
    for (std::size_t i = 0; i < scenario.exchanges.size(); ++i) {
      if (!scenario.consumed[i]) {
        left.push_back(scenario.exchanges[i].method + " " + scenario.exchanges[i].path);
      }
    }
  }
  return left;
}

std::vector<std::string> ReplayServer::mismatches() const {
  std::lock_guard lock(m_mutex);
  return m_mismatches;
}

void ReplayServer::serve(const httplib::Request& request, httplib::Response& response) {
  std::lock_guard lock(m_mutex);
  auto reject = [&](std::string why) {
    m_mismatches.push_back(fmt::format("{} {}: {}", request.method, request.target, why));
    response.status = 501;
    response.set_content(json{{"message", "replay: " + why}}.dump(), "application/json");
  };
  std::string_view target = request.target;
  constexpr std::string_view k_mount = "/api.github.com/";
  if (!target.starts_with(k_mount)) {
    return reject("not under /api.github.com/<id>/");
  }
  target.remove_prefix(k_mount.size());
  auto slash = target.find('/');
  std::string id(target.substr(0, slash));
  std::string_view rest = slash == std::string_view::npos ? std::string_view("/") : target.substr(slash);
  Scenario* scenario = nullptr;
  for (auto& candidate : m_scenarios) {
    if (candidate.id == id) {
      scenario = &candidate;
    }
  }
  if (scenario == nullptr) {
    return reject("no scenario " + id);
  }
  std::string accept = request.get_header_value("Accept");
  if (!request.has_header("Authorization") || accept.find("application/vnd.github") == std::string::npos) {
    return reject("missing Authorization or a GitHub Accept header");
  }
  json body = request.body.empty() ? json(nullptr) : json::parse(request.body, nullptr, false);
  for (std::size_t i = 0; i < scenario->exchanges.size(); ++i) {
    const RecordedExchange& exchange = scenario->exchanges[i];
    if (scenario->consumed[i] || exchange.method != request.method || path_of(exchange.path) != path_of(rest) ||
        query_param(exchange.path, "page") != query_param(rest, "page") || exchange.request_body != body) {
      continue;
    }
    scenario->consumed[i] = true;
    response.status = exchange.status;
    std::string content_type = "application/json; charset=utf-8";
    for (const auto& [name, value] : exchange.headers) {
      if (name == "content-type") {
        content_type = value;
      } else if (!is_hop_by_hop(name)) {
        response.set_header(name, value);
      }
    }
    if (!exchange.body.empty()) {
      response.set_content(exchange.body, content_type);
    }
    return;
  }
  reject(fmt::format("no unused recording matches (body {})", request.body.empty() ? "empty" : request.body));
}

}  // namespace pw::test
