#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <sys/types.h>

namespace pw::test {

// A real nginx on loopback for probe tests. In a fresh temporary directory it makes a CA
// and three server certificates with the openssl CLI, writes nginx.conf, starts
// /usr/sbin/nginx in the foreground and waits until every port answers. The destructor
// stops nginx and removes the directory, also when the test failed.
//
// Every port serves: /health (JSON {"status":"ok","version":"1.2.3"}), /missing (404),
// /redirect (302 to /health), /chain (301 to /redirect) and /loop (302 to itself).
// A test may add one plain-HTTP server of its own (extra_url()), e.g. a proxy to an application.
class NginxFixture {
 public:
  enum class Site {
    valid,       // localhost and 127.0.0.1, issued by the test CA, sent with the CA in the chain
    expired,     // localhost and 127.0.0.1, valid 2025-01-01 to 2025-02-01 only
    wrong_host,  // wrong.example.test and www.wrong.example.test
  };

  // The test CA expires before the valid leaf, so the chain's earliest not-after is the CA's.
  static constexpr int k_ca_days = 20;
  static constexpr int k_leaf_days = 30;
  static constexpr std::string_view k_expired_not_after = "2025-02-01T00:00:00Z";

  // Throws std::runtime_error (with the command's output or nginx's error log) when
  // openssl or nginx cannot do their part.
  // `extra_server` is the inside of one more server block (after its `listen`): locations,
  // proxy_pass to a server the test runs, ... Empty for none.
  explicit NginxFixture(std::string extra_server = {});
  ~NginxFixture();
  NginxFixture(const NginxFixture&) = delete;
  NginxFixture& operator=(const NginxFixture&) = delete;

  int http_port() const { return m_http_port; }
  int https_port(Site site) const;
  // Returns "http://127.0.0.1:<port><path>".
  std::string http_url(std::string_view path) const;
  // Returns "https://<host>:<port><path>"; host is "localhost" unless given.
  std::string https_url(Site site, std::string_view path, std::string_view host = "localhost") const;
  int extra_port() const { return m_extra_port; }
  // Returns "http://127.0.0.1:<port><path>" on the extra server's port.
  std::string extra_url(std::string_view path) const;
  // The test CA's certificate, for a check's ca_file.
  std::string ca_file() const;
  // Returns true once nginx accepts connections on every port (bounded by `timeout`).
  bool wait_until_ready(std::chrono::milliseconds timeout = std::chrono::milliseconds(10000)) const;

 private:
  void make_certificates();
  void write_config() const;
  bool start();
  void stop();

  std::string m_dir;
  mutable pid_t m_pid = -1;  // -1 once nginx was stopped or seen to exit
  int m_http_port = 0;
  int m_valid_port = 0;
  int m_expired_port = 0;
  int m_wrong_host_port = 0;
  std::string m_extra_server;
  int m_extra_port = 0;  // 0 without an extra server
};

}  // namespace pw::test
