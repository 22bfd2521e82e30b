#include <bot/probe/scheme_prober.hpp>

#include <bot/core/text.hpp>
#include <bot/model/url.hpp>

namespace pw {

Evidence SchemeProber::attempt(const Check& check) {
  if (!is_socket_url(check.url)) {
    return m_http.attempt(check);
  }
  return to_lower(check.url.substr(0, 6)) == "dns://" ? m_dns.attempt(check) : m_socket.attempt(check);
}

}  // namespace pw
