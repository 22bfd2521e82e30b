#include <bot/probe/scheme_prober.hpp>

#include <bot/model/url.hpp>

namespace pw {

Evidence SchemeProber::attempt(const Check& check) {
  return is_socket_url(check.url) ? m_socket.attempt(check) : m_http.attempt(check);
}

}  // namespace pw
