#include <bot/probe/dns_prober.hpp>

#include <bot/core/text.hpp>
#include <bot/model/url.hpp>
#include <bot/probe/dns_message.hpp>
#include <bot/probe/failure_text.hpp>

#include <fmt/format.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <fstream>
#include <random>
#include <sstream>

namespace pw {

namespace {

using SteadyClock = std::chrono::steady_clock;

std::uint16_t next_id() {
  static std::atomic<std::uint32_t> counter{std::random_device{}()};
  return static_cast<std::uint16_t>(counter.fetch_add(0x9E37) & 0xFFFF);
}

std::string read_resolv_conf() {
  std::ifstream in("/etc/resolv.conf");
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

std::string system_dns_server(const std::string& resolv_conf) {
  std::istringstream lines(resolv_conf);
  std::string line;
  while (std::getline(lines, line)) {
    std::istringstream words(line);
    std::string keyword;
    std::string address;
    words >> keyword >> address;
    in_addr parsed{};
    if (keyword == "nameserver" && ::inet_pton(AF_INET, address.c_str(), &parsed) == 1) {
      return address + ":53";
    }
  }
  return "127.0.0.1:53";
}

DnsProber::DnsProber(std::string resolv_conf) : m_system_server(system_dns_server(resolv_conf)) {}

DnsProber::DnsProber() : DnsProber(read_resolv_conf()) {}

Evidence DnsProber::attempt(const Check& check) {
  const SteadyClock::time_point start = SteadyClock::now();
  const SteadyClock::time_point deadline = start + check.timeout;
  Evidence out;
  out.url = check.url;
  out.failure_phase = Phase::resolve;
  auto finish = [&]() -> Evidence {
    out.response_time = std::chrono::duration_cast<Millis>(SteadyClock::now() - start);
    return out;
  };
  const Expected<SocketUrl> url = parse_socket_url(check.url);
  const std::optional<std::uint16_t> type = dns_type_of(check.record);
  if (!url || url->scheme != "dns" || !type) {
    out.failure = TransportFailure::invalid_url;
    out.error =
        !url ? url.error().message : fmt::format("{} is not a dns://NAME check of a known record type", check.url);
    return finish();
  }
  const std::string server = check.dns_server.value_or(m_system_server);
  const std::size_t colon = server.find(':');
  const std::string address = server.substr(0, colon);
  const int port = colon == std::string::npos ? 53 : std::stoi(server.substr(colon + 1));
  const std::string endpoint = format_endpoint(address, port);
  const std::uint16_t id = next_id();
  const Expected<std::string> query = encode_dns_query(id, url->host, *type);
  if (!query) {
    out.failure = TransportFailure::invalid_url;
    out.error = query.error().message;
    return finish();
  }
  sockaddr_in target{};
  target.sin_family = AF_INET;
  target.sin_port = htons(static_cast<std::uint16_t>(port));
  if (::inet_pton(AF_INET, address.c_str(), &target.sin_addr) != 1) {
    out.failure = TransportFailure::other;
    out.error = fmt::format("dns_server {} is not an IPv4 address", server);
    return finish();
  }
  const int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    out.failure = TransportFailure::other;
    out.error = fmt::format("could not open a UDP socket: {}", std::strerror(errno));
    return finish();
  }
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};
  // connect() makes the kernel report an ICMP port unreachable as ECONNREFUSED on recv.
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&target), sizeof(target)) != 0 ||
      ::send(fd, query->data(), query->size(), 0) < 0) {
    out.failure = TransportFailure::other;
    out.error = fmt::format("could not send a DNS query to {}: {}", endpoint, std::strerror(errno));
    return finish();
  }
  char buffer[4096];
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - SteadyClock::now()).count();
    pollfd entry{fd, POLLIN, 0};
    const int ready = left <= 0 ? 0 : ::poll(&entry, 1, static_cast<int>(left));
    if (ready < 0 && errno == EINTR) {
      continue;
    }
    if (ready <= 0) {
      out.failure = TransportFailure::timeout;
      out.error = fmt::format("{} (no answer from {})", timeout_text(check.timeout, Phase::resolve), endpoint);
      return finish();
    }
    const ssize_t got = ::recv(fd, buffer, sizeof(buffer), 0);
    if (got < 0 && errno == ECONNREFUSED) {
      out.failure = TransportFailure::refused;
      out.error = refused_text({endpoint});
      return finish();
    }
    if (got < 0) {
      continue;
    }
    auto response = parse_dns_response(std::string_view(buffer, static_cast<std::size_t>(got)));
    if (!response) {
      out.failure = TransportFailure::other;
      out.error = fmt::format("unreadable answer from {}: {}", endpoint, response.error().message);
      return finish();
    }
    if (response->id != id) {
      continue;  // a late answer to an earlier query
    }
    out.dns = DnsEvidence{endpoint, check.record, response->rcode, std::move(response->answers)};
    for (const DnsAnswer& answer : out.dns->answers) {
      if (answer.type == "A" || answer.type == "AAAA") {
        out.addresses.push_back(answer.value);
      }
    }
    return finish();
  }
}

}  // namespace pw
