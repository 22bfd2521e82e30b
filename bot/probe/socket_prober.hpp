#pragma once

#include <bot/probe/prober.hpp>

#include <memory>

namespace pw {

// Probes tcp://HOST:PORT (connect, then optionally write `send` and read the reply) and
// tls://HOST:PORT (the same over a TLS handshake with SNI, verified against the system CA store
// or the check's ca_file, with the certificate chain, protocol and cipher kept as evidence).
// Everything runs under the check's total deadline. Thread-safe.
class SocketProber final : public Prober {
 public:
  SocketProber();
  ~SocketProber() override;
  SocketProber(const SocketProber&) = delete;
  SocketProber& operator=(const SocketProber&) = delete;

  // Makes one attempt at a tcp:// or tls:// check; see Prober::attempt.
  Evidence attempt(const Check& check) override;

 private:
  struct Shared;
  std::unique_ptr<Shared> m_shared;
};

}  // namespace pw
