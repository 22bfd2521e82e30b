#include <algorithm>
#include <support/dns_responder.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <stdexcept>

namespace pw::test {

namespace {

void put16(std::string& out, unsigned value) {
  out += static_cast<char>((value >> 8) & 0xFF);
  out += static_cast<char>(value & 0xFF);
}

void put32(std::string& out, std::uint32_t value) {
  put16(out, value >> 16);
  put16(out, value & 0xFFFF);
}

std::string encode_name(const std::string& name) {
  std::string out;
  std::size_t start = 0;
  while (start < name.size()) {
    const std::size_t dot = name.find('.', start);
    const std::string label = name.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    out += static_cast<char>(label.size());
    out += label;
    if (dot == std::string::npos) {
      break;
    }
    start = dot + 1;
  }
  return out + '\0';
}

unsigned type_number(const std::string& type) {
  return type == "A" ? 1 : type == "AAAA" ? 28 : type == "CNAME" ? 5 : type == "MX" ? 15 : type == "TXT" ? 16 : 2;
}

std::string rdata(const DnsRecord& record) {
  std::string out;
  if (record.type == "A" || record.type == "AAAA") {
    unsigned char buffer[16] = {};
    ::inet_pton(record.type == "A" ? AF_INET : AF_INET6, record.value.c_str(), buffer);
    out.assign(reinterpret_cast<const char*>(buffer), record.type == "A" ? 4 : 16);
  } else if (record.type == "MX") {
    const std::size_t space = record.value.find(' ');
    put16(out, static_cast<unsigned>(std::stoi(record.value.substr(0, space))));
    out += encode_name(record.value.substr(space + 1));
  } else if (record.type == "TXT") {
    out += static_cast<char>(record.value.size());
    out += record.value;
  } else {
    out = encode_name(record.value);
  }
  return out;
}

// Reads the question name of a query (uncompressed), lower-case, and where the question ends.
std::string question_name(const std::string& query, std::size_t& end) {
  std::string name;
  std::size_t at = 12;
  while (at < query.size() && query[at] != 0) {
    const std::size_t length = static_cast<unsigned char>(query[at]);
    if (!name.empty()) {
      name += '.';
    }
    name.append(query, std::min(at + 1, query.size()), length);
    at += 1 + length;
  }
  end = at + 1 + 4;
  for (char& c : name) {
    c = c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
  }
  return name;
}

}  // namespace

DnsResponder::DnsResponder(std::map<std::string, DnsZoneEntry> zone) : m_zone(std::move(zone)) {
  m_fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof(address);
  if (m_fd < 0 || ::bind(m_fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0 ||
      ::getsockname(m_fd, reinterpret_cast<sockaddr*>(&address), &length) != 0 || ::pipe(m_wake) != 0) {
    throw std::runtime_error("DnsResponder: cannot bind a UDP socket on 127.0.0.1");
  }
  m_port = ntohs(address.sin_port);
  m_thread = std::thread([this] { serve(); });
}

DnsResponder::~DnsResponder() {
  const char stop = 'x';
  (void)::write(m_wake[1], &stop, 1);
  m_thread.join();
  ::close(m_fd);
  ::close(m_wake[0]);
  ::close(m_wake[1]);
}

std::string DnsResponder::server() const { return "127.0.0.1:" + std::to_string(m_port); }

int DnsResponder::queries() const {
  std::lock_guard lock(m_mutex);
  return m_queries;
}

void DnsResponder::serve() {
  for (;;) {
    pollfd entries[2] = {{m_fd, POLLIN, 0}, {m_wake[0], POLLIN, 0}};
    if (::poll(entries, 2, -1) < 0 || (entries[1].revents & POLLIN) != 0) {
      return;
    }
    char buffer[512];
    sockaddr_in peer{};
    socklen_t peer_length = sizeof(peer);
    const ssize_t got = ::recvfrom(m_fd, buffer, sizeof(buffer), 0, reinterpret_cast<sockaddr*>(&peer), &peer_length);
    if (got < 12) {
      continue;
    }
    {
      std::lock_guard lock(m_mutex);
      ++m_queries;
    }
    const std::string query(buffer, static_cast<std::size_t>(got));
    std::size_t question_end = 0;
    const std::string name = question_name(query, question_end);
    const auto found = m_zone.find(name);
    const DnsZoneEntry entry = found != m_zone.end() ? found->second : DnsZoneEntry{3, {}, false};
    if (entry.silent) {
      continue;
    }
    std::string answer = query.substr(0, 2);
    put16(answer, 0x8180 | static_cast<unsigned>(entry.rcode));
    put16(answer, 1);
    put16(answer, 0);  // the answer count, set below
    put16(answer, 0);
    put16(answer, 0);
    answer += query.substr(12, question_end - 12);
    const unsigned qtype = (static_cast<unsigned char>(query[question_end - 4]) << 8) |
                           static_cast<unsigned char>(query[question_end - 3]);
    std::vector<DnsRecord> records;
    for (const DnsRecord& record : entry.records) {
      if (type_number(record.type) == qtype) {
        records.push_back(record);
      }
    }
    for (const DnsRecord& record : records) {
      put16(answer, 0xC00C);  // the question's name
      put16(answer, type_number(record.type));
      put16(answer, 1);
      put32(answer, record.ttl);
      const std::string data = rdata(record);
      put16(answer, static_cast<unsigned>(data.size()));
      answer += data;
    }
    answer[6] = static_cast<char>((records.size() >> 8) & 0xFF);
    answer[7] = static_cast<char>(records.size() & 0xFF);
    ::sendto(m_fd, answer.data(), answer.size(), 0, reinterpret_cast<sockaddr*>(&peer), peer_length);
  }
}

}  // namespace pw::test
