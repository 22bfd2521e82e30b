#pragma once

#include <bot/probe/prober.hpp>

namespace pw {

// Sends each check to the prober of its URL's scheme: tcp:// and tls:// to `socket`,
// everything else (http, https) to `http`. Owns neither.
class SchemeProber final : public Prober {
 public:
  SchemeProber(Prober& http, Prober& socket) : m_http(http), m_socket(socket) {}

  // Makes one attempt at `check` through the prober of its scheme; see Prober::attempt.
  Evidence attempt(const Check& check) override;

 private:
  Prober& m_http;
  Prober& m_socket;
};

}  // namespace pw
