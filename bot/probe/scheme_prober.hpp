#pragma once

#include <bot/probe/prober.hpp>

namespace pw {

// Sends each check to the prober of its URL's scheme: tcp:// and tls:// to `socket`, dns:// to
// `dns`, everything else (http, https) to `http`. Owns none.
class SchemeProber final : public Prober {
 public:
  SchemeProber(Prober& http, Prober& socket, Prober& dns) : m_http(http), m_socket(socket), m_dns(dns) {}

  // Makes one attempt at `check` through the prober of its scheme; see Prober::attempt.
  Evidence attempt(const Check& check) override;

 private:
  Prober& m_http;
  Prober& m_socket;
  Prober& m_dns;
};

}  // namespace pw
