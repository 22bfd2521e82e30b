#include <support/e2e/http_endpoint.hpp>

#include <httplib.h>

#include <chrono>
#include <stdexcept>

namespace pw::test {

HttpEndpoint::HttpEndpoint(Handler handler) : m_server(std::make_unique<httplib::Server>()) {
  m_server->set_keep_alive_timeout(1);  // stop() waits for idle kept-alive connections
  auto serve = [handler = std::move(handler)](const httplib::Request& request, httplib::Response& response) {
    handler(request, response);
  };
  m_server->Get(".*", serve);
  m_server->Post(".*", serve);
  m_server->Put(".*", serve);
  m_server->Patch(".*", serve);
  m_server->Delete(".*", serve);
  m_server->Options(".*", serve);
  m_port = m_server->bind_to_any_port("127.0.0.1");
  if (m_port <= 0) {
    throw std::runtime_error("HttpEndpoint: cannot listen on 127.0.0.1");
  }
  m_thread = std::thread([this] { m_server->listen_after_bind(); });
  // The socket listens already; stop() only works once the accept loop runs.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (!m_server->is_running() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::yield();
  }
}

HttpEndpoint::~HttpEndpoint() {
  m_server->stop();
  if (m_thread.joinable()) {
    m_thread.join();
  }
}

std::string HttpEndpoint::url(std::string_view path) const {
  return "http://127.0.0.1:" + std::to_string(m_port) + std::string(path);
}

}  // namespace pw::test
