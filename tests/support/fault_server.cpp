#include <support/fault_server.hpp>
#include <support/os.hpp>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <optional>
#include <stdexcept>
#include <system_error>

namespace pw::test {

namespace {

using SteadyClock = std::chrono::steady_clock;

constexpr std::size_t k_max_request = 1024 * 1024;
constexpr std::size_t k_max_seen = 1000;
constexpr std::size_t k_chunk = 64 * 1024;

sockaddr_in loopback(int port) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  return address;
}

// Returns a TCP socket bound to 127.0.0.1 on an ephemeral port, and that port.
int bound_socket(int& port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    throw_errno("socket");
  }
  sockaddr_in address = loopback(0);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0) {
    ::close(fd);
    throw_errno("bind");
  }
  socklen_t length = sizeof(address);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  port = ntohs(address.sin_port);
  return fd;
}

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string status_line(int status) {
  const char* reason = status == 200 ? "OK" : status == 404 ? "Not Found" : status == 302 ? "Found" : "Status";
  return "HTTP/1.1 " + std::to_string(status) + " " + reason + "\r\n";
}

// Where a request head ends, or npos; and the Content-Length it announces.
std::optional<std::size_t> content_length(std::string_view head) {
  const std::string text = lower(head);
  const std::size_t at = text.find("\r\ncontent-length:");
  if (at == std::string::npos) {
    return std::nullopt;
  }
  std::size_t value = 0;
  for (std::size_t i = at + 17; i < text.size() && text[i] != '\r'; ++i) {
    if (text[i] >= '0' && text[i] <= '9') {
      value = value * 10 + static_cast<std::size_t>(text[i] - '0');
    }
  }
  return value;
}

struct Connection {
  int fd = -1;
  bool reading = true;
  std::string in;
  Script script;
  std::size_t step = 0;
  std::size_t offset = 0;
  bool waiting = false;
  SteadyClock::time_point wake;
  std::string repeated;  // send_repeated's unit laid out past one chunk
  bool closed = false;
};

}  // namespace

Step send(std::string bytes) { return Step{Step::Kind::send, std::move(bytes), 0, {}}; }

Step send_repeated(std::string unit, std::size_t total_bytes) {
  return Step{Step::Kind::send_repeated, std::move(unit), total_bytes, {}};
}

Step wait(std::chrono::milliseconds delay) { return Step{Step::Kind::wait, {}, 0, delay}; }

Step reset() { return Step{Step::Kind::reset, {}, 0, {}}; }

Script respond(int status, std::string body, std::string content_type, std::vector<std::string> extra_headers) {
  std::string head = status_line(status) + "Content-Type: " + content_type +
                     "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n";
  for (const std::string& line : extra_headers) {
    head += line + "\r\n";
  }
  head += "Connection: close\r\n\r\n";
  return Script{true, {send(head + body)}};
}

Script slow_headers(std::chrono::milliseconds interval) {
  Script script{true, {send("HTTP/1.1 200 OK\r\n")}};
  const std::string rest = "Content-Type: text/plain\r\nX-Slow: yes\r\nContent-Length: 2\r\n\r\nok";
  for (const char c : rest) {
    script.steps.push_back(wait(interval));
    script.steps.push_back(send(std::string(1, c)));
  }
  return script;
}

Script trickling_body(std::size_t length, std::size_t chunk, std::chrono::milliseconds interval) {
  Script script{
      true,
      {send(status_line(200) + "Content-Type: text/plain\r\nContent-Length: " + std::to_string(length) + "\r\n\r\n")}};
  for (std::size_t sent = 0; sent < length; sent += chunk) {
    script.steps.push_back(send(std::string(std::min(chunk, length - sent), 't')));
    script.steps.push_back(wait(interval));
  }
  return script;
}

Script reset_mid_body(std::size_t length, std::size_t sent) {
  return Script{true,
                {send(status_line(200) + "Content-Type: text/plain\r\nContent-Length: " + std::to_string(length) +
                      "\r\n\r\n" + std::string(sent, 'r')),
                 wait(std::chrono::milliseconds(100)), reset()}};
}

Script reset_before_response() { return Script{true, {reset()}}; }

Script huge_body(std::size_t length) {
  return Script{true,
                {send(status_line(200) + "Content-Type: application/octet-stream\r\nContent-Length: " +
                      std::to_string(length) + "\r\n\r\n"),
                 send_repeated("0123456789abcdef", length)}};
}

Script many_headers(std::size_t count) {
  std::string head = status_line(200) + "Content-Type: text/plain\r\nContent-Length: 2\r\n";
  for (std::size_t i = 0; i < count; ++i) {
    head += "X-Cache-" + std::to_string(i) + ": HIT from edge " + std::to_string(i) + "\r\n";
  }
  return Script{true, {send(head + "\r\nok")}};
}

Script delayed_ok(std::chrono::milliseconds delay) {
  Script script = respond(200, "{\"status\":\"ok\"}", "application/json");
  script.steps.insert(script.steps.begin(), wait(delay));
  return script;
}

struct FaultServer::Loop {
  int listener = -1;
  int wake_read = -1;
  int wake_write = -1;
  std::optional<Script> fixed;
  Chooser choose;
  std::atomic<bool> stopping{false};
  mutable std::mutex mutex;
  std::vector<SeenRequest> seen;
  std::vector<std::unique_ptr<Connection>> connections;

  ~Loop() {
    for (const auto& connection : connections) {
      if (!connection->closed) {
        ::close(connection->fd);
      }
    }
    ::close(listener);
    ::close(wake_read);
    ::close(wake_write);
  }

  void close_connection(Connection& connection, bool abort) {
    if (abort) {
      const linger hard{1, 0};
      ::setsockopt(connection.fd, SOL_SOCKET, SO_LINGER, &hard, sizeof(hard));
    } else {
      // Drain what the client sent so close() ends with FIN, not RST.
      char sink[4096];
      while (::recv(connection.fd, sink, sizeof(sink), MSG_DONTWAIT) > 0) {
      }
      ::shutdown(connection.fd, SHUT_WR);
    }
    ::close(connection.fd);
    connection.closed = true;
  }

  // Plays the script as far as it can without blocking.
  void advance(Connection& connection) {
    while (!connection.closed && connection.step < connection.script.steps.size()) {
      const Step& step = connection.script.steps[connection.step];
      switch (step.kind) {
        case Step::Kind::send:
        case Step::Kind::send_repeated: {
          const bool repeated = step.kind == Step::Kind::send_repeated;
          const std::size_t total = repeated ? step.total : step.data.size();
          if (connection.offset >= total) {
            ++connection.step;
            connection.offset = 0;
            continue;
          }
          const char* data = nullptr;
          std::size_t size = 0;
          if (repeated) {
            if (connection.repeated.empty()) {
              while (connection.repeated.size() < k_chunk + step.data.size()) {
                connection.repeated += step.data;
              }
            }
            data = connection.repeated.data() + connection.offset % step.data.size();
            size = std::min(k_chunk, total - connection.offset);
          } else {
            data = step.data.data() + connection.offset;
            size = total - connection.offset;
          }
          const ssize_t sent = ::send(connection.fd, data, size, MSG_NOSIGNAL);
          if (sent < 0) {
            if (errno != EAGAIN && errno != EWOULDBLOCK) {
              close_connection(connection, false);
            }
            return;
          }
          connection.offset += static_cast<std::size_t>(sent);
          continue;
        }
        case Step::Kind::wait:
          if (!connection.waiting) {
            connection.waiting = true;
            connection.wake = SteadyClock::now() + step.delay;
          }
          if (SteadyClock::now() < connection.wake) {
            return;
          }
          connection.waiting = false;
          ++connection.step;
          continue;
        case Step::Kind::reset: close_connection(connection, true); return;
        case Step::Kind::close: close_connection(connection, false); return;
      }
    }
    if (!connection.closed) {
      close_connection(connection, false);
    }
  }

  void start_script(Connection& connection, const SeenRequest& request) {
    connection.reading = false;
    connection.script = fixed ? *fixed : choose(request);
    advance(connection);
  }

  void read_request(Connection& connection) {
    char buffer[8192];
    for (;;) {
      const ssize_t got = ::recv(connection.fd, buffer, sizeof(buffer), 0);
      if (got == 0 || (got < 0 && errno != EAGAIN && errno != EWOULDBLOCK)) {
        close_connection(connection, false);
        return;
      }
      if (got < 0) {
        break;
      }
      connection.in.append(buffer, static_cast<std::size_t>(got));
      if (connection.in.size() > k_max_request) {
        close_connection(connection, true);
        return;
      }
    }
    const std::size_t end = connection.in.find("\r\n\r\n");
    if (end == std::string::npos) {
      return;
    }
    const std::string_view head(connection.in.data(), end + 2);
    const std::size_t wanted = content_length(head).value_or(0);
    if (connection.in.size() < end + 4 + wanted) {
      return;
    }
    SeenRequest request;
    request.head = std::string(head);
    request.body = connection.in.substr(end + 4, wanted);
    const std::size_t space = request.head.find(' ');
    const std::size_t second = request.head.find(' ', space + 1);
    request.method = request.head.substr(0, space);
    if (space != std::string::npos && second != std::string::npos) {
      request.target = request.head.substr(space + 1, second - space - 1);
    }
    {
      const std::lock_guard lock(mutex);
      if (seen.size() < k_max_seen) {
        seen.push_back(request);
      }
    }
    start_script(connection, request);
  }

  void accept_all() {
    for (;;) {
      const int fd = ::accept4(listener, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
      if (fd < 0) {
        return;
      }
      const int yes = 1;
      ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &yes, sizeof(yes));
      auto connection = std::make_unique<Connection>();
      connection->fd = fd;
      if (fixed && !fixed->read_request) {
        start_script(*connection, SeenRequest{});
      }
      connections.push_back(std::move(connection));
    }
  }

  void run() {
    std::vector<pollfd> fds;
    while (!stopping.load()) {
      fds.clear();
      fds.push_back({wake_read, POLLIN, 0});
      fds.push_back({listener, POLLIN, 0});
      int timeout = -1;
      const auto now = SteadyClock::now();
      for (const auto& connection : connections) {
        short events = 0;
        if (connection->reading) {
          events = POLLIN;
        } else if (connection->waiting) {
          const auto left = std::chrono::ceil<std::chrono::milliseconds>(connection->wake - now).count();
          timeout = timeout < 0 ? static_cast<int>(std::max<long long>(0, left))
                                : std::min(timeout, static_cast<int>(std::max<long long>(0, left)));
        } else {
          events = POLLOUT;
        }
        fds.push_back({connection->fd, events, 0});
      }
      if (::poll(fds.data(), fds.size(), timeout) < 0 && errno != EINTR) {
        return;
      }
      if ((fds[1].revents & POLLIN) != 0) {
        accept_all();
      }
      for (std::size_t i = 0; i + 2 < fds.size(); ++i) {
        Connection& connection = *connections[i];
        if (connection.closed) {
          continue;
        }
        if (connection.reading) {
          if (fds[i + 2].revents != 0) {
            read_request(connection);
          }
        } else if (!connection.waiting || SteadyClock::now() >= connection.wake || fds[i + 2].revents != 0) {
          advance(connection);
        }
      }
      std::erase_if(connections, [](const auto& connection) { return connection->closed; });
    }
  }
};

FaultServer::FaultServer(Chooser choose) : m_loop(std::make_unique<Loop>()) {
  m_loop->choose = std::move(choose);
  start();
}

FaultServer::FaultServer(Script script) : m_loop(std::make_unique<Loop>()) {
  m_loop->fixed = std::move(script);
  start();
}

void FaultServer::start() {
  m_loop->listener = bound_socket(m_port);
  ::fcntl(m_loop->listener, F_SETFL, O_NONBLOCK);
  if (::listen(m_loop->listener, 1024) != 0) {
    throw_errno("listen");
  }
  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC | O_NONBLOCK) != 0) {
    throw_errno("pipe2");
  }
  m_loop->wake_read = pipe_fds[0];
  m_loop->wake_write = pipe_fds[1];
  m_thread = std::thread([loop = m_loop.get()] { loop->run(); });
}

FaultServer::~FaultServer() {
  m_loop->stopping = true;
  const char byte = 1;
  [[maybe_unused]] const ssize_t ignored = ::write(m_loop->wake_write, &byte, 1);
  m_thread.join();
}

std::string FaultServer::url(std::string_view path) const {
  return "http://127.0.0.1:" + std::to_string(m_port) + std::string(path);
}

bool FaultServer::wait_until_ready(std::chrono::milliseconds timeout) const {
  const auto deadline = SteadyClock::now() + timeout;
  while (SteadyClock::now() < deadline) {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    const sockaddr_in address = loopback(m_port);
    const bool connected = ::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof(address)) == 0;
    ::close(fd);
    if (connected) {
      return true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));  // polling a port that is starting up
  }
  return false;
}

std::vector<SeenRequest> FaultServer::requests() const {
  const std::lock_guard lock(m_loop->mutex);
  return m_loop->seen;
}

RefusedPort::RefusedPort() { m_fd = bound_socket(m_port); }

RefusedPort::~RefusedPort() { ::close(m_fd); }

BlackholePort::BlackholePort() {
  m_listener = bound_socket(m_port);
  if (::listen(m_listener, 0) != 0) {
    throw_errno("listen");
  }
  // One completed connection fills an accept queue of length 0; later SYNs are dropped.
  const int filler = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  const sockaddr_in address = loopback(m_port);
  if (::connect(filler, reinterpret_cast<const sockaddr*>(&address), sizeof(address)) != 0) {
    ::close(filler);
    throw_errno("connect");
  }
  m_fillers.push_back(filler);
}

BlackholePort::~BlackholePort() {
  for (const int fd : m_fillers) {
    ::close(fd);
  }
  ::close(m_listener);
}

}  // namespace pw::test
