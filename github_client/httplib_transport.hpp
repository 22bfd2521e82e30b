#pragma once

#include <github_client/transport.hpp>
#include <github_client/url.hpp>

#include <chrono>
#include <expected>
#include <functional>
#include <optional>
#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace httplib {
class Client;
}

namespace github {

// A forward HTTP proxy for one origin: http:// requests go to it with an absolute URI, https://
// ones through a CONNECT tunnel; Basic credentials when a username is set.
struct HttpProxy {
  std::string host;
  int port = 0;
  std::string username;
  std::string password;
  std::string description;  // for messages, never with the credentials: "proxy 127.0.0.1:3128 (from HTTPS_PROXY)"
};

// Chooses the proxy for an origin (nullopt: connect directly), or fails saying why none can be used.
using ProxyChooser = std::function<std::expected<std::optional<HttpProxy>, std::string>(
    const std::string& scheme, const std::string& host, int port)>;

struct HttplibTransportOptions {
  std::chrono::milliseconds connect_timeout{10000};
  std::chrono::milliseconds read_timeout{30000};  // also bounds writing the request
  std::string ca_file;  // extra CA bundle for TLS; empty uses the system's (honours SSL_CERT_FILE)
  ProxyChooser proxy;   // empty: every origin directly
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
  // One origin's client and the proxy it goes through, if any.
  struct Origin {
    std::unique_ptr<httplib::Client> client;
    std::optional<HttpProxy> proxy;
    bool tunnel_checked = false;  // the proxy said yes to our own CONNECT once
  };
  std::expected<Origin*, std::string> origin_for(const SplitUrl& url);

  HttplibTransportOptions m_options;
  std::mutex m_mutex;
  std::map<std::string, Origin> m_origins;
};

}  // namespace github
