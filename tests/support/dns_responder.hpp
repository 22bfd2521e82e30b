#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace pw::test {

// One record the responder answers with.
struct DnsRecord {
  std::string type;   // A, AAAA, CNAME, MX, TXT or NS
  std::string value;  // "192.0.2.1", "10 mail.example.test", "v=spf1 -all", ...
  std::uint32_t ttl = 300;
};

// What the responder says for one name: a response code and the answer records.
struct DnsZoneEntry {
  int rcode = 0;  // 0 NOERROR, 2 SERVFAIL, 3 NXDOMAIN, ...
  std::vector<DnsRecord> records;
  bool silent = false;  // never answer (the client times out)
};

// A small in-process DNS server on 127.0.0.1 (UDP, ephemeral port) that answers from a table;
// names not in it get NXDOMAIN. Started by the constructor, stopped by the destructor.
class DnsResponder {
 public:
  explicit DnsResponder(std::map<std::string, DnsZoneEntry> zone);
  ~DnsResponder();
  DnsResponder(const DnsResponder&) = delete;
  DnsResponder& operator=(const DnsResponder&) = delete;

  int port() const { return m_port; }
  // Returns "127.0.0.1:<port>", for a check's dns_server.
  std::string server() const;
  // How many queries arrived so far.
  int queries() const;

 private:
  void serve();
  std::map<std::string, DnsZoneEntry> m_zone;
  int m_fd = -1;
  int m_wake[2] = {-1, -1};
  int m_port = 0;
  mutable std::mutex m_mutex;
  int m_queries = 0;
  std::thread m_thread;
};

}  // namespace pw::test
