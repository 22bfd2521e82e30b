#include <github_client/httplib_transport.hpp>

#include <github_client/proxy_tunnel.hpp>
#include <github_client/url.hpp>

#include <httplib.h>

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

namespace github {

namespace {

// Translates cpp-httplib's error into ours. A read that fails after the whole timeout is a timeout;
// one that fails sooner is a reset. Either way the request went out.
TransportError translate(httplib::Error error, const SplitUrl& url, const std::optional<HttpProxy>& proxy,
                         std::chrono::milliseconds elapsed, std::chrono::milliseconds read_timeout) {
  std::string where = proxy ? fmt::format("{}:{} through the {}", url.host, url.port, proxy->description)
                            : fmt::format("{}:{}", url.host, url.port);
  switch (error) {
    case httplib::Error::Connection:
    case httplib::Error::BindIPAddress:
      return {TransportErrorKind::connect, fmt::format("could not connect to {}", where), false};
    case httplib::Error::ConnectionTimeout:
      return {TransportErrorKind::timeout, fmt::format("timed out connecting to {}", where), false};
    case httplib::Error::SSLConnection:
      return {TransportErrorKind::tls, fmt::format("TLS handshake with {} failed", where), false};
    case httplib::Error::SSLLoadingCerts:
      return {TransportErrorKind::tls, "could not load the CA certificates for TLS", false};
    case httplib::Error::SSLServerVerification:
      return {TransportErrorKind::tls, fmt::format("the TLS certificate of {} could not be verified", where), false};
    case httplib::Error::Read:
      if (elapsed + std::chrono::milliseconds{20} >= read_timeout) {
        return {TransportErrorKind::timeout,
                fmt::format("no response from {} within {} ms", where, read_timeout.count()), true};
      }
      return {TransportErrorKind::reset, fmt::format("connection to {} closed before a complete response", where),
              true};
    case httplib::Error::Write:
      return {TransportErrorKind::reset, fmt::format("connection to {} failed while sending the request", where), true};
    default: break;
  }
  return {TransportErrorKind::other, fmt::format("request to {} failed ({})", where, httplib::to_string(error)), true};
}

std::string lower(std::string text) {
  std::ranges::transform(text, text.begin(),
                         [](char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); });
  return text;
}

}  // namespace

HttplibTransport::HttplibTransport(HttplibTransportOptions options) : m_options(std::move(options)) {}

HttplibTransport::~HttplibTransport() = default;

std::expected<HttplibTransport::Origin*, std::string> HttplibTransport::origin_for(const SplitUrl& url) {
  Origin& origin = m_origins[url.origin];
  if (!origin.client) {
    if (m_options.proxy) {
      auto chosen = m_options.proxy(url.scheme, url.host, url.port);
      if (!chosen) {
        m_origins.erase(url.origin);
        return std::unexpected(chosen.error());
      }
      origin.proxy = std::move(*chosen);
    }
    auto& client = origin.client;
    client = std::make_unique<httplib::Client>(url.origin);
    client->set_keep_alive(true);
    client->set_tcp_nodelay(true);
    client->set_url_encode(false);
    client->set_follow_location(false);
    client->set_connection_timeout(m_options.connect_timeout);
    client->set_read_timeout(m_options.read_timeout);
    client->set_write_timeout(m_options.read_timeout);
    if (!m_options.ca_file.empty()) {
      client->set_ca_cert_path(m_options.ca_file);
    }
    client->enable_server_certificate_verification(true);
    if (origin.proxy) {
      client->set_proxy(origin.proxy->host, origin.proxy->port);
      if (!origin.proxy->username.empty()) {
        client->set_proxy_basic_auth(origin.proxy->username, origin.proxy->password);
      }
    }
  }
  return &origin;
}

std::expected<HttpResponse, TransportError> HttplibTransport::send(const HttpRequest& request) {
  auto url = split_url(request.url);
  if (!url) {
    return std::unexpected(
        TransportError{TransportErrorKind::other, fmt::format("not a usable URL: {}", url.error()), false});
  }
  std::lock_guard lock(m_mutex);
  auto origin = origin_for(*url);
  if (!origin) {
    return std::unexpected(TransportError{TransportErrorKind::connect, origin.error(), false});
  }
  httplib::Client& client = *(*origin)->client;
  const std::optional<HttpProxy>& proxy = (*origin)->proxy;
  int received_refusal_status = -1;  // a proxy's answer to our own CONNECT, when not 200
  if (!client.is_valid()) {
    return std::unexpected(
        TransportError{TransportErrorKind::other, fmt::format("cannot open a connection to {}", url->origin), false});
  }
  httplib::Request outgoing;
  outgoing.method = request.method;
  outgoing.path = url->target;
  for (const auto& [name, value] : request.headers) {
    if (lower(name) == "content-type") {
      continue;
    }
    outgoing.headers.emplace(name, value);
  }
  if (!request.body.empty() || request.method == "POST" || request.method == "PATCH" || request.method == "PUT") {
    const std::string* type = find_header(request.headers, "content-type");
    outgoing.headers.emplace("Content-Type", type != nullptr ? *type : "application/json; charset=utf-8");
    outgoing.body = request.body;
  }
  auto started = std::chrono::steady_clock::now();
  if (proxy && url->scheme == "https" && !(*origin)->tunnel_checked) {
    // Asked first on a connection of our own: httplib 0.11 deadlocks on a refused CONNECT.
    const TunnelAnswer tunnel = ask_for_tunnel(proxy->host, proxy->port, url->host, url->port, proxy->username,
                                               proxy->password, started + m_options.connect_timeout);
    if (tunnel.outcome != TunnelAnswer::Outcome::answered) {
      return std::unexpected(TransportError{
          tunnel.outcome == TunnelAnswer::Outcome::timeout ? TransportErrorKind::timeout : TransportErrorKind::connect,
          fmt::format("could not reach {}:{} through the {}: {}", url->host, url->port, proxy->description,
                      tunnel.error),
          false});
    }
    if (tunnel.status != 200) {
      received_refusal_status = tunnel.status;
    } else {
      (*origin)->tunnel_checked = true;
    }
  }
  httplib::Response received;
  received.status = received_refusal_status;
  httplib::Error error = httplib::Error::Success;
  const bool ok = received_refusal_status == -1 && client.send(outgoing, received, error);
  // Through a proxy, a refused CONNECT, or a 407 to plain http, is the proxy's answer.
  const bool plain = url->scheme == "http";
  if (proxy && (received_refusal_status != -1 || (plain && ok && received.status == 407))) {
    return std::unexpected(TransportError{
        TransportErrorKind::connect,
        received.status == 407
            ? fmt::format("the {} refused the request to {}:{}: 407 Proxy Authentication Required; put its "
                          "credentials in the proxy URL (http://user:password@host:port)",
                          proxy->description, url->host, url->port)
            : fmt::format("the {} refused to open a tunnel (CONNECT) to {}:{}: {}; check which hosts it lets CONNECT "
                          "reach, or add the host to NO_PROXY",
                          proxy->description, url->host, url->port, received.status),
        false});
  }
  // A proxy adds Via to what it forwards; a 5xx without one is the proxy's own error page.
  if (proxy && plain && ok && received.status >= 500 && received.status <= 504 && !received.has_header("Via")) {
    return std::unexpected(TransportError{TransportErrorKind::connect,
                                          fmt::format("the {} answered {} itself: it could not reach {}:{}",
                                                      proxy->description, received.status, url->host, url->port),
                                          false});
  }
  if (!ok) {
    auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
    return std::unexpected(translate(error, *url, proxy, elapsed, m_options.read_timeout));
  }
  HttpResponse response;
  response.status = received.status;
  response.body = std::move(received.body);
  for (const auto& [name, value] : received.headers) {
    response.headers.emplace_back(lower(name), value);
  }
  return response;
}

}  // namespace github
