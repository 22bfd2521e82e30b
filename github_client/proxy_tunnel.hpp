#pragma once

#include <chrono>
#include <string>

namespace github {

// How a proxy answered a CONNECT request.
struct TunnelAnswer {
  enum class Outcome { answered, refused, timeout, failed };
  Outcome outcome = Outcome::failed;
  int status = 0;     // the proxy's status when answered (200: the tunnel would open)
  std::string error;  // why there was no answer: "connection refused", "no answer within 2000 ms", ...
};

// cpp-httplib 0.11 (Debian 12's) deadlocks in SSLClient::connect_with_proxy when a proxy answers
// CONNECT with "Connection: close" or HTTP/1.0 other than "Connection established", which is how
// proxies refuse (407, 403). So a caller asks first, on a connection of its own: connects to the
// proxy at `proxy_host`:`proxy_port`, sends CONNECT `target_host`:`target_port` (with Basic
// credentials when `username` is set), reads the status line and closes. Never waits past
// `deadline`.
TunnelAnswer ask_for_tunnel(const std::string& proxy_host, int proxy_port, const std::string& target_host,
                            int target_port, const std::string& username, const std::string& password,
                            std::chrono::steady_clock::time_point deadline);

}  // namespace github
