#include <support/fake_github/fake_github_server.hpp>

#include <support/serve.hpp>

#include <support/fake_github/control_api.hpp>

#include <httplib.h>

#include <fmt/format.h>

#include <stdexcept>

namespace pw::test {

namespace {

std::string lower(std::string text) {
  for (char& c : text) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return text;
}

void write(httplib::Response& out, const github::HttpResponse& response) {
  out.status = response.status;
  std::string content_type = "application/json; charset=utf-8";
  for (const auto& [name, value] : response.headers) {
    if (lower(name) == "content-type") {
      content_type = value;
    } else {
      out.set_header(name, value);
    }
  }
  out.set_content(response.body, content_type);
}

// Sends the headers, then closes the connection instead of the promised body.
void drop_connection(httplib::Response& out) {
  out.status = 200;
  out.set_content_provider(64, "application/json", [](std::size_t, std::size_t, httplib::DataSink&) { return false; });
}

}  // namespace

FakeGitHubServer::FakeGitHubServer(FakeGitHub& github, FakeGitHubServerOptions options)
    : m_github(github), m_options(std::move(options)) {}

FakeGitHubServer::~FakeGitHubServer() { stop(); }

void FakeGitHubServer::start() {
  if (m_server) {
    return;
  }
  m_server = std::make_unique<httplib::Server>();
  m_server->set_tcp_nodelay(true);
  m_server->set_keep_alive_max_count(1000);
  route_everything(*m_server,
                   [this](const httplib::Request& request, httplib::Response& response) { serve(request, response); });
  {
    std::lock_guard lock(m_mutex);
    m_stopping = false;
  }
  try {
    m_port = serve_on_thread(*m_server, m_thread, m_options.host, m_options.port, "fake GitHub");
  } catch (...) {
    m_server.reset();
    throw;
  }
}

void FakeGitHubServer::stop() {
  if (!m_server) {
    return;
  }
  {
    std::lock_guard lock(m_mutex);
    m_stopping = true;
  }
  m_stopping_signal.notify_all();
  stop_serving(*m_server, m_thread);
  m_server.reset();
}

std::string FakeGitHubServer::url() const {
  return fmt::format("http://{}:{}{}", m_options.host, m_port, m_github.api_prefix());
}

std::size_t FakeGitHubServer::connections() const {
  std::lock_guard lock(m_mutex);
  return m_connections.size();
}

void FakeGitHubServer::hold(std::chrono::milliseconds delay) {
  std::unique_lock lock(m_mutex);
  m_stopping_signal.wait_for(lock, std::min(delay, m_options.max_delay), [this] { return m_stopping; });
}

void FakeGitHubServer::serve(const httplib::Request& request, httplib::Response& response) {
  {
    std::lock_guard lock(m_mutex);
    m_connections.emplace(request.remote_addr, request.remote_port);
  }
  if (m_options.control_api && request.path.starts_with("/_fake/")) {
    write(response, handle_control(m_github, request.method, request.path, request.body));
    return;
  }
  github::HttpRequest forwarded;
  forwarded.method = request.method;
  forwarded.url = fmt::format("http://{}:{}{}", m_options.host, m_port, request.target);
  for (const auto& [name, value] : request.headers) {
    forwarded.headers.emplace_back(name, value);
  }
  forwarded.body = request.body;
  Served served = m_github.serve(forwarded);
  switch (served.drop) {
    case Drop::none: write(response, served.response); return;
    case Drop::timeout:
      hold(served.delay);
      drop_connection(response);
      return;
    case Drop::reset:
    case Drop::refuse: drop_connection(response); return;
  }
}

}  // namespace pw::test
