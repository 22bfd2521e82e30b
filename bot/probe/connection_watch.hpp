#pragma once

#include <bot/model/evidence.hpp>

#include <mutex>

namespace pw {

// Where one connection is, shared between the probing thread and the deadline watchdog,
// which can stop the exchange at any phase by shutting the socket down.
class ConnectionWatch {
 public:
  explicit ConnectionWatch(bool tls) : m_tls(tls) {}
  ~ConnectionWatch();
  ConnectionWatch(const ConnectionWatch&) = delete;
  ConnectionWatch& operator=(const ConnectionWatch&) = delete;

  // Keeps a duplicate of the client's socket. The duplicate pins the descriptor number, so
  // a shutdown from the watchdog can never hit a socket that was closed and reused.
  void attach(int fd);
  // Milestones, recorded so a timeout can name the phase it interrupted.
  void mark_tls_started();
  void mark_tls_done();
  void mark_headers();
  // At the deadline (watchdog thread): records the phase and shuts the socket down.
  void expire();
  // Closes the duplicate; call once the exchange is over.
  void release();

  // Returns true once the watchdog has stopped this exchange.
  bool expired() const;
  // The phase the exchange was in when expire() ran.
  Phase expired_phase() const;
  // Returns true once the response headers arrived.
  bool headers_received() const;

 private:
  Phase current_phase() const;

  const bool m_tls;
  mutable std::mutex m_mutex;
  int m_fd = -1;
  bool m_expired = false;
  bool m_tls_started = false;
  bool m_tls_done = false;
  bool m_headers = false;
  Phase m_expired_phase = Phase::connect;
};

}  // namespace pw
