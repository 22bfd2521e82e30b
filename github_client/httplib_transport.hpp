#pragma once

#include <github_client/transport.hpp>

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace httplib {
class Client;
}

namespace github {

struct HttplibTransportOptions {
  std::chrono::milliseconds connect_timeout{10000};
  std::chrono::milliseconds read_timeout{30000};  // also bounds writing the request
  std::string ca_file;  // extra CA bundle for TLS; empty uses the system's (honours SSL_CERT_FILE)
};

// The real transport: cpp-httplib with OpenSSL, one kept-alive connection per scheme+host+port.
class HttplibTransport final : public Transport {
 public:
  explicit HttplibTransport(HttplibTransportOptions options = {});
  ~HttplibTransport() override;
  HttplibTransport(const HttplibTransport&) = delete;
  HttplibTransport& operator=(const HttplibTransport&) = delete;

  // Sends the request over the origin's kept-alive connection, opening it when needed.
  std::expected<HttpResponse, TransportError> send(const HttpRequest& request) override;

 private:
  httplib::Client& client_for(const std::string& origin);

  HttplibTransportOptions m_options;
  std::mutex m_mutex;
  std::map<std::string, std::unique_ptr<httplib::Client>> m_clients;
};

}  // namespace github
