#include <bot/probe/connection_watch.hpp>

#include <fcntl.h>
#include <linux/sockios.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

namespace pw {

ConnectionWatch::~ConnectionWatch() { release(); }

void ConnectionWatch::attach(int fd) {
  const std::lock_guard lock(m_mutex);
  if (m_fd >= 0) {
    ::close(m_fd);
  }
  m_fd = ::fcntl(fd, F_DUPFD_CLOEXEC, 0);
  if (m_expired && m_fd >= 0) {
    ::shutdown(m_fd, SHUT_RDWR);
  }
}

void ConnectionWatch::mark_tls_started() {
  const std::lock_guard lock(m_mutex);
  m_tls_started = true;
}

void ConnectionWatch::mark_tls_done() {
  const std::lock_guard lock(m_mutex);
  m_tls_done = true;
}

void ConnectionWatch::mark_headers() {
  const std::lock_guard lock(m_mutex);
  m_headers = true;
}

Phase ConnectionWatch::current_phase() const {
  if (m_headers) {
    return Phase::body;
  }
  if (m_tls_started && !m_tls_done) {
    return Phase::tls;
  }
  if (m_fd < 0) {
    return Phase::connect;
  }
  sockaddr_storage peer{};
  socklen_t length = sizeof(peer);
  if (::getpeername(m_fd, reinterpret_cast<sockaddr*>(&peer), &length) != 0) {
    return Phase::connect;
  }
  if (m_tls && !m_tls_done) {
    return Phase::tls;
  }
  int unsent = 0;  // bytes not yet sent: the server is not reading the request
  if (::ioctl(m_fd, SIOCOUTQNSD, &unsent) == 0 && unsent > 0) {
    return Phase::write;
  }
  return Phase::headers;
}

void ConnectionWatch::expire() {
  const std::lock_guard lock(m_mutex);
  if (m_expired) {
    return;
  }
  m_expired = true;
  m_expired_phase = current_phase();
  if (m_fd >= 0) {
    ::shutdown(m_fd, SHUT_RDWR);
  }
}

void ConnectionWatch::release() {
  const std::lock_guard lock(m_mutex);
  if (m_fd >= 0) {
    ::close(m_fd);
    m_fd = -1;
  }
}

bool ConnectionWatch::expired() const {
  const std::lock_guard lock(m_mutex);
  return m_expired;
}

Phase ConnectionWatch::expired_phase() const {
  const std::lock_guard lock(m_mutex);
  return m_expired_phase;
}

bool ConnectionWatch::headers_received() const {
  const std::lock_guard lock(m_mutex);
  return m_headers;
}

}  // namespace pw
