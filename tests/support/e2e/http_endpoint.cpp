#include <support/e2e/http_endpoint.hpp>

#include <support/serve.hpp>

#include <httplib.h>

#include <chrono>
#include <stdexcept>

namespace pw::test {

HttpEndpoint::HttpEndpoint(Handler handler) : m_server(std::make_unique<httplib::Server>()) {
  route_everything(*m_server, std::move(handler));
  m_port = serve_on_thread(*m_server, m_thread, "127.0.0.1", 0, "HttpEndpoint");
}

HttpEndpoint::~HttpEndpoint() { stop_serving(*m_server, m_thread); }

std::string HttpEndpoint::url(std::string_view path) const {
  return "http://127.0.0.1:" + std::to_string(m_port) + std::string(path);
}

}  // namespace pw::test
