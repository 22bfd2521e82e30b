#pragma once

#include <bot/probe/prober.hpp>

#include <string>

namespace pw {

// Probes dns://NAME: one query for the check's record type over UDP, to the check's dns_server
// or else the first nameserver of the system resolver's configuration, under the check's total
// deadline. The response code, the answers with their TTLs and the server that answered become
// the evidence; judging them is judge()'s. Thread-safe.
class DnsProber final : public Prober {
 public:
  // `resolv_conf` is the text of /etc/resolv.conf, read once; empty means 127.0.0.1:53.
  explicit DnsProber(std::string resolv_conf);
  // Reads /etc/resolv.conf.
  DnsProber();

  // Makes one attempt at a dns:// check; see Prober::attempt.
  Evidence attempt(const Check& check) override;

 private:
  std::string m_system_server;  // "IP:PORT"
};

// Returns "IP:53" for the first IPv4 `nameserver` line of resolv.conf text, else "127.0.0.1:53".
std::string system_dns_server(const std::string& resolv_conf);

}  // namespace pw
