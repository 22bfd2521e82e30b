#include <bot/probe/socket_prober.hpp>

#include <bot/core/text.hpp>
#include <bot/model/url.hpp>
#include <bot/probe/failure_text.hpp>
#include <bot/probe/resolver.hpp>
#include <bot/probe/tls_inspector.hpp>

#include <fmt/format.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>

namespace pw {

namespace {

using SteadyClock = std::chrono::steady_clock;

// The most of a reply kept and judged: one banner or answer line is far shorter.
constexpr std::size_t k_max_reply_bytes = 4096;

// Closes a socket when it goes out of scope.
class Socket {
 public:
  explicit Socket(int fd = -1) : m_fd(fd) {}
  ~Socket() {
    if (m_fd >= 0) {
      ::close(m_fd);
    }
  }
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;
  Socket(Socket&& other) noexcept : m_fd(other.m_fd) { other.m_fd = -1; }
  Socket& operator=(Socket&& other) noexcept {
    std::swap(m_fd, other.m_fd);
    return *this;
  }
  int fd() const { return m_fd; }

 private:
  int m_fd;
};

int remaining_ms(SteadyClock::time_point deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - SteadyClock::now()).count();
  return left <= 0 ? 0 : static_cast<int>(std::min<long long>(left, 60'000'000));
}

// Waits until `fd` is ready for `events` or the deadline passes; returns false at the deadline.
bool wait_for(int fd, short events, SteadyClock::time_point deadline) {
  for (;;) {
    pollfd entry{fd, events, 0};
    const int timeout = remaining_ms(deadline);
    const int ready = ::poll(&entry, 1, timeout);
    if (ready > 0) {
      return true;
    }
    if (ready == 0 || (ready < 0 && errno != EINTR)) {
      return false;
    }
  }
}

enum class ConnectOutcome { connected, refused, timed_out, failed };

ConnectOutcome connect_to(const std::string& address, int port, SteadyClock::time_point deadline, Socket& out,
                          std::string& reason) {
  sockaddr_storage storage{};
  socklen_t length = 0;
  const bool v6 = address.find(':') != std::string::npos;
  if (v6) {
    auto* in6 = reinterpret_cast<sockaddr_in6*>(&storage);
    in6->sin6_family = AF_INET6;
    in6->sin6_port = htons(static_cast<std::uint16_t>(port));
    ::inet_pton(AF_INET6, address.c_str(), &in6->sin6_addr);
    length = sizeof(sockaddr_in6);
  } else {
    auto* in4 = reinterpret_cast<sockaddr_in*>(&storage);
    in4->sin_family = AF_INET;
    in4->sin_port = htons(static_cast<std::uint16_t>(port));
    ::inet_pton(AF_INET, address.c_str(), &in4->sin_addr);
    length = sizeof(sockaddr_in);
  }
  Socket socket(::socket(v6 ? AF_INET6 : AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (socket.fd() < 0) {
    reason = std::strerror(errno);
    return ConnectOutcome::failed;
  }
  int error = ::connect(socket.fd(), reinterpret_cast<sockaddr*>(&storage), length) == 0 ? 0 : errno;
  if (error == EINPROGRESS) {
    if (!wait_for(socket.fd(), POLLOUT, deadline)) {
      return ConnectOutcome::timed_out;
    }
    socklen_t size = sizeof(error);
    ::getsockopt(socket.fd(), SOL_SOCKET, SO_ERROR, &error, &size);
  }
  if (error == ECONNREFUSED) {
    return ConnectOutcome::refused;
  }
  if (error != 0) {
    reason = std::strerror(error);
    return ConnectOutcome::failed;
  }
  out = std::move(socket);
  return ConnectOutcome::connected;
}

// The line written after connecting: `send` with CRLF added unless it already ends a line.
std::string line_of(const std::string& send) { return send.ends_with("\n") ? send : send + "\r\n"; }

// Reads what the peer sends until a line ends, it closes, k_max_reply_bytes arrive or the deadline.
// `read_some` returns bytes read, 0 at the end, -1 to wait for readability, -2 on an error.
template <class ReadSome>
std::string read_reply(int fd, SteadyClock::time_point deadline, ReadSome read_some, bool& timed_out) {
  std::string reply;
  char buffer[1024];
  while (reply.size() < k_max_reply_bytes && reply.find('\n') == std::string::npos) {
    const long got = read_some(buffer, sizeof(buffer));
    if (got > 0) {
      reply.append(buffer, static_cast<std::size_t>(got));
    } else if (got == -1) {
      if (!wait_for(fd, POLLIN, deadline)) {
        timed_out = true;
        break;
      }
    } else {
      break;
    }
  }
  return reply.substr(0, k_max_reply_bytes);
}

// Sends the check's line, if any, through `write_all`, then reads the reply (when a line was sent
// or a reply is expected) through `read_some`, recording what went wrong in `out`.
template <class WriteAll, class ReadSome>
void exchange(const Check& check, int fd, SteadyClock::time_point deadline, const std::string& endpoint,
              WriteAll write_all, ReadSome read_some, Evidence& out) {
  if (check.send && !write_all(line_of(*check.send))) {
    out.failure = TransportFailure::reset;
    out.failure_phase = Phase::write;
    out.error = fmt::format("connection reset or closed by {} while sending", endpoint);
    return;
  }
  if (!check.send && !check.expect.reply_matches) {
    return;
  }
  bool timed_out = false;
  out.body = read_reply(fd, deadline, read_some, timed_out);
  if (timed_out && out.body.empty()) {
    out.failure = TransportFailure::timeout;
    out.failure_phase = Phase::body;
    out.error = fmt::format("{} (no reply from {})", timeout_text(check.timeout, Phase::body), endpoint);
  }
}

}  // namespace

struct SocketProber::Shared {
  TrustStores trust;
};

SocketProber::SocketProber() : m_shared(std::make_unique<Shared>()) {}
SocketProber::~SocketProber() = default;

Evidence SocketProber::attempt(const Check& check) {
  const SteadyClock::time_point start = SteadyClock::now();
  const SteadyClock::time_point deadline = start + check.timeout;
  Evidence out;
  out.url = check.url;
  auto finish = [&]() -> Evidence {
    out.response_time = std::chrono::duration_cast<Millis>(SteadyClock::now() - start);
    return out;
  };
  const Expected<SocketUrl> url = parse_socket_url(check.url);
  if (!url) {
    out.failure = TransportFailure::invalid_url;
    out.error = url.error().message;
    return finish();
  }
  const Resolution resolution = resolve_host(url->host, deadline);
  out.addresses = resolution.addresses;
  if (resolution.timed_out) {
    out.failure = TransportFailure::timeout;
    out.failure_phase = Phase::resolve;
    out.error = timeout_text(check.timeout, Phase::resolve);
    return finish();
  }
  if (!resolution.ok()) {
    out.failure = TransportFailure::dns;
    out.failure_phase = Phase::resolve;
    out.error = dns_failure_text(url->host, resolution.error);
    return finish();
  }
  Socket socket;
  std::string endpoint;
  std::vector<std::string> refused;
  out.failure_phase = Phase::connect;
  for (const std::string& address : resolution.addresses) {
    endpoint = format_endpoint(address, url->port);
    std::string reason;
    const ConnectOutcome outcome = connect_to(address, url->port, deadline, socket, reason);
    if (outcome == ConnectOutcome::connected) {
      break;
    }
    if (outcome == ConnectOutcome::refused) {
      refused.push_back(endpoint);
      continue;
    }
    if (outcome == ConnectOutcome::timed_out) {
      out.failure = TransportFailure::timeout;
      out.error = timeout_text(check.timeout, Phase::connect);
      return finish();
    }
    out.failure = TransportFailure::other;
    out.error = fmt::format("could not connect to {}: {}", endpoint, reason);
    return finish();
  }
  if (socket.fd() < 0) {
    out.failure = TransportFailure::refused;
    out.error = refused_text(refused);
    return finish();
  }
  if (url->scheme == "tcp") {
    exchange(
        check, socket.fd(), deadline, endpoint,
        [&](const std::string& line) { return ::send(socket.fd(), line.data(), line.size(), MSG_NOSIGNAL) >= 0; },
        [&](char* buffer, std::size_t size) -> long {
          const ssize_t got = ::recv(socket.fd(), buffer, size, 0);
          return got >= 0 ? static_cast<long>(got) : errno == EAGAIN || errno == EWOULDBLOCK ? -1 : -2;
        },
        out);
    return finish();
  }

  // tls://
  Expected<X509_STORE*> store = m_shared->trust.get(check.ca_file);
  if (!store) {
    out.failure = TransportFailure::tls;
    out.failure_phase = Phase::tls;
    out.error = store.error().message;
    return finish();
  }
  std::unique_ptr<SSL_CTX, decltype(&SSL_CTX_free)> context(SSL_CTX_new(TLS_client_method()), SSL_CTX_free);
  TlsObservation observation;
  observation.host = url->host;
  observation.insecure = check.insecure;
  prepare_tls(context.get(), *store, observation);
  std::unique_ptr<SSL, decltype(&SSL_free)> ssl(SSL_new(context.get()), SSL_free);
  SSL_set_fd(ssl.get(), socket.fd());
  if (url->host.find_first_not_of("0123456789.") != std::string::npos && url->host.find(':') == std::string::npos) {
    SSL_set_tlsext_host_name(ssl.get(), url->host.c_str());
  }
  out.failure_phase = Phase::tls;
  clear_tls_errors();
  for (;;) {
    const int result = SSL_connect(ssl.get());
    if (result == 1) {
      break;
    }
    const int error = SSL_get_error(ssl.get(), result);
    const bool wait = error == SSL_ERROR_WANT_READ || error == SSL_ERROR_WANT_WRITE;
    if (wait && wait_for(socket.fd(), error == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT, deadline)) {
      continue;
    }
    if (observation.captured) {
      out.tls = observation.evidence;
    }
    if (wait) {
      out.failure = TransportFailure::timeout;
      out.error = timeout_text(check.timeout, Phase::tls);
    } else {
      out.failure = TransportFailure::tls;
      out.error = handshake_failure_text(observation, endpoint);
    }
    return finish();
  }
  out.tls = observation.evidence;
  out.tls->version = SSL_get_version(ssl.get());
  out.tls->cipher = SSL_get_cipher_name(ssl.get());
  exchange(
      check, socket.fd(), deadline, endpoint,
      [&](const std::string& line) { return SSL_write(ssl.get(), line.data(), static_cast<int>(line.size())) > 0; },
      [&](char* buffer, std::size_t size) -> long {
        const int got = SSL_read(ssl.get(), buffer, static_cast<int>(size));
        if (got > 0) {
          return got;
        }
        const int error = SSL_get_error(ssl.get(), got);
        return error == SSL_ERROR_WANT_READ || error == SSL_ERROR_WANT_WRITE ? -1
               : error == SSL_ERROR_ZERO_RETURN                              ? 0
                                                                             : -2;
      },
      out);
  return finish();
}

}  // namespace pw
