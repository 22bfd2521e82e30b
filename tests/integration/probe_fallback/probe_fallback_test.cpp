// integration.probe_fallback: the real prober against a blackholed first address and a working
// second one, both on loopback. The resolver's answer is injected, so "fallback.test" resolves to
// [127.0.0.2, 127.0.0.1] on one port: 127.0.0.2 is a listener with backlog 0 whose one accept slot
// a connection the test never accepts fills, so Linux drops every further SYN to it (a blackhole,
// not a refusal); 127.0.0.1 is an HTTP endpoint.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <bot/probe/httplib_prober.hpp>
#include <support/e2e/http_endpoint.hpp>

#include <doctest/doctest.h>
#include <fmt/format.h>
#include <httplib.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <stdexcept>

using namespace std::chrono_literals;

namespace {

// A socket closed on destruction, so a failing test still releases it.
struct Socket {
  int fd = -1;
  explicit Socket(int type_flags = 0) : fd(::socket(AF_INET, SOCK_STREAM | type_flags, 0)) {
    if (fd < 0) {
      throw std::runtime_error("socket() failed");
    }
  }
  ~Socket() { ::close(fd); }
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;
};

sockaddr_in loopback(const char* address, int port) {
  sockaddr_in out{};
  out.sin_family = AF_INET;
  out.sin_port = htons(static_cast<std::uint16_t>(port));
  ::inet_pton(AF_INET, address, &out.sin_addr);
  return out;
}

// A listener on 127.0.0.2:port that takes no new connection: backlog 0, its one queue slot taken
// by `m_filler`, never accepted. Only ever on loopback.
class Blackhole {
 public:
  explicit Blackhole(int port) {
    const sockaddr_in address = loopback("127.0.0.2", port);
    const int yes = 1;
    ::setsockopt(m_listener.fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    if (::bind(m_listener.fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0 ||
        ::listen(m_listener.fd, 0) != 0) {
      throw std::runtime_error(fmt::format("cannot listen on 127.0.0.2:{}", port));
    }
    if (::connect(m_filler.fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
      throw std::runtime_error("the filler connection failed");
    }
  }
  // Returns true when a fresh connect to the blackhole gets no answer within `wait`. (Real time,
  // bounded: that the kernel drops the SYN can only be seen as nothing happening for a while.)
  bool swallows_connects(std::chrono::milliseconds wait) const {
    Socket probe(SOCK_NONBLOCK);
    const sockaddr_in address = loopback("127.0.0.2", port());
    if (::connect(probe.fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0 || errno != EINPROGRESS) {
      return false;
    }
    pollfd ready{probe.fd, POLLOUT, 0};
    return ::poll(&ready, 1, static_cast<int>(wait.count())) == 0;
  }
  int port() const {
    sockaddr_in bound{};
    socklen_t size = sizeof bound;
    ::getsockname(m_listener.fd, reinterpret_cast<sockaddr*>(&bound), &size);
    return ntohs(bound.sin_port);
  }

 private:
  Socket m_listener;
  Socket m_filler;
};

}  // namespace

TEST_CASE("probe fallback: a blackholed first address falls through to the second within the timeout") {
  pw::test::HttpEndpoint working(
      [](const httplib::Request&, httplib::Response& response) { response.set_content("ok", "text/plain"); });
  const Blackhole blackhole(working.port());
  REQUIRE(blackhole.swallows_connects(300ms));

  pw::HttplibProber prober({[](const std::string& host) {
    pw::Resolution answer;
    if (host == "fallback.test") {
      answer.addresses = {"127.0.0.2", "127.0.0.1"};
    } else {
      answer.error = "Name or service not known";
    }
    return answer;
  }});
  pw::Check check;
  check.id = "fallback";
  check.url = fmt::format("http://fallback.test:{}/health", working.port());
  check.timeout = 4s;
  const pw::Evidence evidence = prober.attempt(check);
  INFO(evidence.error);
  CHECK(evidence.failure == pw::TransportFailure::none);
  CHECK(evidence.status == 200);
  CHECK(evidence.body == "ok");
  CHECK(evidence.addresses == std::vector<std::string>{"127.0.0.2", "127.0.0.1"});
  // The first address had half the 4 s; the second connected in what was left.
  CHECK(evidence.connects == std::vector<std::string>{fmt::format("127.0.0.2:{}: no answer within 2s", working.port()),
                                                      fmt::format("127.0.0.1:{}: connected", working.port())});
  CHECK(evidence.response_time >= 1900ms);
  CHECK(evidence.response_time < check.timeout);
  MESSAGE("fell through in " << evidence.response_time.count() << " ms of a " << check.timeout.count()
                             << " ms timeout");
}

TEST_CASE("probe fallback: refused and unanswered addresses are each listed when none connects") {
  pw::test::HttpEndpoint working(
      [](const httplib::Request&, httplib::Response& response) { response.set_content("ok", "text/plain"); });
  const Blackhole blackhole(working.port());
  // 127.0.0.3 on that port has no listener: refused at once. 127.0.0.2 swallows the SYN.
  pw::HttplibProber prober({[](const std::string&) { return pw::Resolution{{"127.0.0.3", "127.0.0.2"}, false, ""}; }});
  pw::Check check;
  check.id = "nowhere";
  check.url = fmt::format("http://nowhere.test:{}/", working.port());
  check.timeout = 1s;
  const pw::Evidence evidence = prober.attempt(check);
  CHECK(evidence.failure == pw::TransportFailure::timeout);
  CHECK(evidence.failure_phase == pw::Phase::connect);
  CHECK(evidence.error == "timed out after 1s while connecting");
  CHECK(evidence.connects ==
        std::vector<std::string>{fmt::format("127.0.0.3:{}: refused", working.port()),
                                 fmt::format("127.0.0.2:{}: no answer by the deadline", working.port())});
}
