#include <github_client/proxy_tunnel.hpp>

#include <fmt/format.h>

#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>

namespace github {

namespace {

using SteadyClock = std::chrono::steady_clock;

std::string basic_credentials(const std::string& text) {
  static constexpr char k_alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  std::size_t i = 0;
  const auto byte = [&](std::size_t at) { return at < text.size() ? static_cast<unsigned char>(text[at]) : 0U; };
  for (; i < text.size(); i += 3) {
    const unsigned n = (byte(i) << 16) | (byte(i + 1) << 8) | byte(i + 2);
    out += k_alphabet[(n >> 18) & 63];
    out += k_alphabet[(n >> 12) & 63];
    out += i + 1 < text.size() ? k_alphabet[(n >> 6) & 63] : '=';
    out += i + 2 < text.size() ? k_alphabet[n & 63] : '=';
  }
  return out;
}

int millis_left(SteadyClock::time_point deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - SteadyClock::now()).count();
  return left <= 0 ? 0 : static_cast<int>(std::min<long long>(left, 1'000'000));
}

// Waits for `events` on `fd` until the deadline; false when it passed first.
bool wait_for(int fd, short events, SteadyClock::time_point deadline) {
  pollfd ready{fd, events, 0};
  for (;;) {
    const int result = ::poll(&ready, 1, millis_left(deadline));
    if (result > 0) {
      return true;
    }
    if (result == 0 || errno != EINTR) {
      return false;
    }
  }
}

struct Fd {
  int value = -1;
  ~Fd() {
    if (value >= 0) {
      ::close(value);
    }
  }
};

}  // namespace

TunnelAnswer ask_for_tunnel(const std::string& proxy_host, int proxy_port, const std::string& target_host,
                            int target_port, const std::string& username, const std::string& password,
                            SteadyClock::time_point deadline) {
  TunnelAnswer out;
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  const std::string port = std::to_string(proxy_port);
  if (const int failed = ::getaddrinfo(proxy_host.c_str(), port.c_str(), &hints, &found); failed != 0) {
    out.error = fmt::format("cannot resolve {}: {}", proxy_host, ::gai_strerror(failed));
    return out;
  }
  const std::unique_ptr<addrinfo, decltype(&::freeaddrinfo)> addresses(found, &::freeaddrinfo);
  Fd fd{::socket(found->ai_family, found->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, found->ai_protocol)};
  if (fd.value < 0) {
    out.error = fmt::format("cannot open a socket: {}", std::strerror(errno));
    return out;
  }
  if (::connect(fd.value, found->ai_addr, found->ai_addrlen) != 0 && errno != EINPROGRESS) {
    out.outcome = errno == ECONNREFUSED ? TunnelAnswer::Outcome::refused : TunnelAnswer::Outcome::failed;
    out.error = errno == ECONNREFUSED ? "connection refused" : std::strerror(errno);
    return out;
  }
  if (!wait_for(fd.value, POLLOUT, deadline)) {
    out.outcome = TunnelAnswer::Outcome::timeout;
    out.error = "no answer while connecting";
    return out;
  }
  int connect_error = 0;
  socklen_t size = sizeof connect_error;
  ::getsockopt(fd.value, SOL_SOCKET, SO_ERROR, &connect_error, &size);
  if (connect_error != 0) {
    out.outcome = connect_error == ECONNREFUSED ? TunnelAnswer::Outcome::refused : TunnelAnswer::Outcome::failed;
    out.error = connect_error == ECONNREFUSED ? "connection refused" : std::strerror(connect_error);
    return out;
  }
  const std::string authority = target_host.find(':') != std::string::npos
                                    ? fmt::format("[{}]:{}", target_host, target_port)
                                    : fmt::format("{}:{}", target_host, target_port);
  std::string request = fmt::format("CONNECT {} HTTP/1.1\r\nHost: {}\r\n", authority, authority);
  if (!username.empty()) {
    request += fmt::format("Proxy-Authorization: Basic {}\r\n", basic_credentials(username + ":" + password));
  }
  request += "\r\n";
  for (std::size_t sent = 0; sent < request.size();) {
    if (!wait_for(fd.value, POLLOUT, deadline)) {
      out.outcome = TunnelAnswer::Outcome::timeout;
      out.error = "no answer while sending CONNECT";
      return out;
    }
    const ssize_t n = ::send(fd.value, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) {
      out.error = fmt::format("the connection closed while sending CONNECT: {}", std::strerror(errno));
      return out;
    }
    sent += static_cast<std::size_t>(n);
  }
  std::string answer;
  while (answer.find("\r\n") == std::string::npos && answer.size() < 8192) {
    if (!wait_for(fd.value, POLLIN, deadline)) {
      out.outcome = TunnelAnswer::Outcome::timeout;
      out.error = "no answer to CONNECT";
      return out;
    }
    char buffer[1024];
    const ssize_t n = ::recv(fd.value, buffer, sizeof buffer, 0);
    if (n <= 0) {
      out.error = "the connection closed before an answer to CONNECT";
      return out;
    }
    answer.append(buffer, static_cast<std::size_t>(n));
  }
  // "HTTP/1.1 407 Proxy Authentication Required"
  const std::size_t space = answer.find(' ');
  if (!answer.starts_with("HTTP/") || space == std::string::npos || answer.size() < space + 4) {
    out.error = "the answer to CONNECT is not HTTP";
    return out;
  }
  out.outcome = TunnelAnswer::Outcome::answered;
  out.status = std::atoi(answer.substr(space + 1, 3).c_str());
  return out;
}

}  // namespace github
