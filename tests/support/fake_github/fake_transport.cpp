#include <support/fake_github/fake_transport.hpp>

namespace pw::test {

std::expected<github::HttpResponse, github::TransportError> FakeTransport::send(const github::HttpRequest& request) {
  ++m_sent;
  {
    std::lock_guard lock(m_mutex);
    m_last_headers = request.headers;
  }
  Served served = m_github.serve(request);
  switch (served.drop) {
    case Drop::none: return std::move(served.response);
    case Drop::reset:
      return std::unexpected(
          github::TransportError{github::TransportErrorKind::reset, "connection reset by peer (injected)", true});
    case Drop::timeout:
      return std::unexpected(github::TransportError{github::TransportErrorKind::timeout,
                                                    "no response within the timeout (injected)", true});
    case Drop::refuse:
      return std::unexpected(
          github::TransportError{github::TransportErrorKind::connect, "connection refused (injected)", false});
  }
  return std::unexpected(github::TransportError{github::TransportErrorKind::other, "unknown drop", true});
}

github::Headers FakeTransport::last_headers() const {
  std::lock_guard lock(m_mutex);
  return m_last_headers;
}

}  // namespace pw::test
