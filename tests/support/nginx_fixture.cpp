#include <support/nginx_fixture.hpp>
#include <support/os.hpp>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>
#include <vector>

extern char** environ;

namespace pw::test {

namespace {

using SteadyClock = std::chrono::steady_clock;

constexpr int k_start_attempts = 3;

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

void write_file(const std::string& path, const std::string& text) {
  std::ofstream out(path);
  out << text;
  if (!out) {
    throw std::runtime_error("cannot write " + path);
  }
}

// Runs a command to completion with its output in `log`; throws with the output on failure.
void run(const std::vector<std::string>& args, const std::string& log) {
  std::vector<char*> argv;
  for (const std::string& arg : args) {
    argv.push_back(const_cast<char*>(arg.c_str()));
  }
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
  pid_t pid = 0;
  const int rc = posix_spawnp(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  int status = 0;
  if (rc != 0 || ::waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    std::string command;
    for (const std::string& arg : args) {
      command += arg + " ";
    }
    throw std::runtime_error("command failed: " + command + "\n" + read_file(log));
  }
}

int free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address));
  socklen_t length = sizeof(address);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  ::close(fd);
  return ntohs(address.sin_port);
}

bool port_answers(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  const bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0;
  ::close(fd);
  return ok;
}

std::string nginx_binary() {
  const char* override_path = std::getenv("PROBEWATCH_NGINX");
  return override_path != nullptr ? override_path : "/usr/sbin/nginx";
}

}  // namespace

NginxFixture::NginxFixture(std::string extra_server) : m_extra_server(std::move(extra_server)) {
  m_dir = make_temp_dir("probewatch-nginx").string();
  try {
    if (!std::filesystem::exists(nginx_binary())) {
      throw std::runtime_error(nginx_binary() + " not found; run scripts/install-deps (Debian package nginx)");
    }
    make_certificates();
    for (int attempt = 1;; ++attempt) {
      if (start()) {
        break;
      }
      stop();
      if (attempt == k_start_attempts) {
        throw std::runtime_error("nginx did not start:\n" + read_file(m_dir + "/error.log") +
                                 read_file(m_dir + "/nginx.out"));
      }
    }
  } catch (...) {
    stop();
    std::error_code ignored;
    std::filesystem::remove_all(m_dir, ignored);
    throw;
  }
}

NginxFixture::~NginxFixture() {
  stop();
  std::error_code ignored;
  std::filesystem::remove_all(m_dir, ignored);
}

void NginxFixture::make_certificates() {
  const std::string& d = m_dir;
  const std::string log = d + "/openssl.log";
  const std::vector<std::string> ec = {"-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"};
  auto with = [](std::vector<std::string> head, const std::vector<std::string>& tail) {
    head.insert(head.end(), tail.begin(), tail.end());
    return head;
  };
  run(with({"openssl", "req", "-x509"}, with(ec, {"-keyout", d + "/ca.key", "-out", d + "/ca.pem", "-days",
                                                  std::to_string(k_ca_days), "-subj", "/CN=probewatch test CA"})),
      log);
  write_file(d + "/index.txt", "");
  write_file(d + "/serial", "1000\n");
  write_file(d + "/ca.cnf", "[ca]\ndefault_ca = test_ca\n[test_ca]\ndatabase = " + d + "/index.txt\nnew_certs_dir = " +
                                d + "\ncertificate = " + d + "/ca.pem\nprivate_key = " + d + "/ca.key\nserial = " + d +
                                "/serial\ndefault_md = sha256\npolicy = policy_any\nunique_subject = no\n"
                                "[policy_any]\ncommonName = supplied\n");
  struct Leaf {
    std::string name;
    std::string common_name;
    std::string alt_names;
    std::vector<std::string> validity;
  };
  const std::vector<Leaf> leaves = {
      {"valid", "localhost", "DNS:localhost,IP:127.0.0.1", {"-days", std::to_string(k_leaf_days)}},
      {"expired",
       "localhost",
       "DNS:localhost,IP:127.0.0.1",
       {"-startdate", "20250101000000Z", "-enddate", "20250201000000Z"}},
      {"wrong",
       "wrong.example.test",
       "DNS:wrong.example.test,DNS:www.wrong.example.test",
       {"-days", std::to_string(k_leaf_days)}},
  };
  for (const Leaf& leaf : leaves) {
    const std::string base = d + "/" + leaf.name;
    write_file(base + ".ext",
               "subjectAltName=" + leaf.alt_names + "\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n");
    run(with({"openssl", "req", "-new"},
             with(ec, {"-keyout", base + ".key", "-out", base + ".csr", "-subj", "/CN=" + leaf.common_name})),
        log);
    run(with({"openssl", "ca", "-config", d + "/ca.cnf", "-batch", "-notext", "-in", base + ".csr", "-out",
              base + ".pem", "-extfile", base + ".ext"},
             leaf.validity),
        log);
  }
  write_file(d + "/valid-chain.pem", read_file(d + "/valid.pem") + read_file(d + "/ca.pem"));
}

void NginxFixture::write_config() const {
  const std::string& d = m_dir;
  write_file(
      d + "/locations.conf",
      "location = /health { default_type application/json; return 200 '{\"status\":\"ok\",\"version\":\"1.2.3\"}'; }\n"
      "location = /missing { return 404; }\n"
      "location = /redirect { return 302 /health; }\n"
      "location = /chain { return 301 /redirect; }\n"
      "location = /loop { return 302 /loop; }\n"
      "location / { return 404; }\n");
  auto tls_server = [&](int port, const std::string& certificate, const std::string& key) {
    return "  server {\n    listen 127.0.0.1:" + std::to_string(port) + " ssl;\n    ssl_certificate " + certificate +
           ";\n    ssl_certificate_key " + key + ";\n    include " + d + "/locations.conf;\n  }\n";
  };
  std::filesystem::create_directories(d + "/temp");
  write_file(d + "/nginx.conf",
             "worker_processes 1;\n"
             "error_log " +
                 d +
                 "/error.log warn;\n"
                 "events { worker_connections 256; }\n"
                 "http {\n"
                 "  access_log off;\n"
                 "  client_body_temp_path " +
                 d +
                 "/temp/body;\n"
                 "  proxy_temp_path " +
                 d +
                 "/temp/proxy;\n"
                 "  fastcgi_temp_path " +
                 d +
                 "/temp/fastcgi;\n"
                 "  uwsgi_temp_path " +
                 d +
                 "/temp/uwsgi;\n"
                 "  scgi_temp_path " +
                 d +
                 "/temp/scgi;\n"
                 "  absolute_redirect off;\n"
                 "  ssl_protocols TLSv1.2 TLSv1.3;\n"
                 "  add_header X-Cache MISS always;\n"
                 "  server {\n    listen 127.0.0.1:" +
                 std::to_string(m_http_port) + ";\n    include " + d + "/locations.conf;\n  }\n" +
                 tls_server(m_valid_port, d + "/valid-chain.pem", d + "/valid.key") +
                 tls_server(m_expired_port, d + "/expired.pem", d + "/expired.key") +
                 tls_server(m_wrong_host_port, d + "/wrong.pem", d + "/wrong.key") +
                 (m_extra_port != 0 ? "  server {\n    listen 127.0.0.1:" + std::to_string(m_extra_port) + ";\n" +
                                          m_extra_server + "\n  }\n"
                                    : std::string()) +
                 "}\n");
}

bool NginxFixture::start() {
  m_http_port = free_port();
  m_valid_port = free_port();
  m_expired_port = free_port();
  m_wrong_host_port = free_port();
  m_extra_port = m_extra_server.empty() ? 0 : free_port();
  write_config();
  const std::string binary = nginx_binary();
  const std::string prefix = m_dir + "/";
  const std::string config = m_dir + "/nginx.conf";
  const std::string error_log = m_dir + "/error.log";
  const std::string globals = "daemon off; pid " + m_dir + "/nginx.pid;";
  const std::string output = m_dir + "/nginx.out";
  std::vector<char*> argv = {const_cast<char*>(binary.c_str()),    const_cast<char*>("-p"),
                             const_cast<char*>(prefix.c_str()),    const_cast<char*>("-c"),
                             const_cast<char*>(config.c_str()),    const_cast<char*>("-e"),
                             const_cast<char*>(error_log.c_str()), const_cast<char*>("-g"),
                             const_cast<char*>(globals.c_str()),   nullptr};
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid < 0) {
    return false;
  }
  if (pid == 0) {
    // Only async-signal-safe calls between fork and exec. nginx gets SIGTERM if the test
    // process dies without running the destructor.
    ::prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (::getppid() != parent) {
      ::_exit(127);
    }
    const int fd = ::open(output.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd >= 0) {
      ::dup2(fd, STDOUT_FILENO);
      ::dup2(fd, STDERR_FILENO);
    }
    ::execv(binary.c_str(), argv.data());
    ::_exit(127);
  }
  m_pid = pid;
  return wait_until_ready();
}

void NginxFixture::stop() {
  if (m_pid <= 0) {
    return;
  }
  ::kill(m_pid, SIGTERM);
  const auto deadline = SteadyClock::now() + std::chrono::seconds(5);
  int status = 0;
  while (::waitpid(m_pid, &status, WNOHANG) == 0) {
    if (SteadyClock::now() > deadline) {
      ::kill(m_pid, SIGKILL);
      ::waitpid(m_pid, &status, 0);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));  // waiting for nginx to exit
  }
  m_pid = -1;
}

bool NginxFixture::wait_until_ready(std::chrono::milliseconds timeout) const {
  const auto deadline = SteadyClock::now() + timeout;
  while (SteadyClock::now() < deadline) {
    int status = 0;
    if (m_pid <= 0) {
      return false;
    }
    if (::waitpid(m_pid, &status, WNOHANG) == m_pid) {
      m_pid = -1;
      return false;  // nginx exited: a port was taken, or the config is wrong
    }
    if (port_answers(m_http_port) && port_answers(m_valid_port) && port_answers(m_expired_port) &&
        port_answers(m_wrong_host_port) && (m_extra_port == 0 || port_answers(m_extra_port))) {
      return true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));  // polling ports that are starting up
  }
  return false;
}

int NginxFixture::https_port(Site site) const {
  switch (site) {
    case Site::valid: return m_valid_port;
    case Site::expired: return m_expired_port;
    case Site::wrong_host: return m_wrong_host_port;
  }
  return m_valid_port;
}

std::string NginxFixture::http_url(std::string_view path) const {
  return "http://127.0.0.1:" + std::to_string(m_http_port) + std::string(path);
}

std::string NginxFixture::https_url(Site site, std::string_view path, std::string_view host) const {
  return "https://" + std::string(host) + ":" + std::to_string(https_port(site)) + std::string(path);
}

std::string NginxFixture::extra_url(std::string_view path) const {
  return "http://127.0.0.1:" + std::to_string(m_extra_port) + std::string(path);
}

std::string NginxFixture::ca_file() const { return m_dir + "/ca.pem"; }

}  // namespace pw::test
