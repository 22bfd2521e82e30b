// integration.proxy: the real binary behind a real tinyproxy on loopback. Each TinyProxy is a
// child process in a temporary folder with its own config and log; it is started and waited for by
// its constructor and killed by its destructor (through Process), also when a check fails.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <support/e2e/binary_sandbox.hpp>
#include <support/e2e/http_endpoint.hpp>
#include <support/nginx_fixture.hpp>
#include <support/os.hpp>
#include <support/process.hpp>

#include <doctest/doctest.h>
#include <fmt/format.h>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <thread>

using namespace std::chrono_literals;
using pw::test::BinarySandbox;
using pw::test::ProcessResult;

namespace {

const pw::test::BinaryPaths k_binaries{PROBEWATCH_BINARY, RUSAGE_EXEC_BINARY};

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

// A tinyproxy on 127.0.0.1 with `extra` appended to its config (BasicAuth, ConnectPort, ...).
class TinyProxy {
 public:
  explicit TinyProxy(const std::string& extra = {})
      : m_dir(pw::test::make_temp_dir("pw-tinyproxy")), m_port(free_port()) {
    std::ofstream(m_dir / "tinyproxy.conf") << fmt::format(
        "Port {}\nListen 127.0.0.1\nTimeout 20\nLogFile \"{}\"\nLogLevel Info\nPidFile \"{}\"\nMaxClients 20\n"
        "Allow 127.0.0.1\n{}",
        m_port, (m_dir / "proxy.log").string(), (m_dir / "tinyproxy.pid").string(), extra);
    pw::test::ProcessSpec spec;
    spec.argv = {"/usr/bin/tinyproxy", "-d", "-c", (m_dir / "tinyproxy.conf").string()};
    spec.env = pw::test::inherited_environment();
    spec.timeout = 110s;
    m_process = std::make_unique<pw::test::Process>(spec);
    // Polling a port that is starting up, bounded: tinyproxy reads its config and listens.
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    while (!port_answers(m_port)) {
      if (std::chrono::steady_clock::now() > deadline) {
        throw std::runtime_error("tinyproxy did not listen within 10 s: " + m_process->wait().err);
      }
      std::this_thread::sleep_for(10ms);
    }
  }
  ~TinyProxy() {
    m_process.reset();
    std::error_code ignored;
    std::filesystem::remove_all(m_dir, ignored);
  }
  TinyProxy(const TinyProxy&) = delete;
  TinyProxy& operator=(const TinyProxy&) = delete;

  int port() const { return m_port; }
  std::string url(const std::string& credentials = {}) const {
    return fmt::format("http://{}127.0.0.1:{}", credentials.empty() ? "" : credentials + "@", m_port);
  }
  std::string log() const { return pw::test::read_text(m_dir / "proxy.log"); }

 private:
  std::filesystem::path m_dir;
  int m_port = 0;
  std::unique_ptr<pw::test::Process> m_process;
};

pw::test::HttpEndpoint::Handler answer_ok() {
  return [](const httplib::Request& request, httplib::Response& response) {
    response.set_content("ok " + request.path, "text/plain");
  };
}

std::size_t count_of(const std::string& text, const std::string& part) {
  std::size_t count = 0;
  for (std::size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) {
    ++count;
  }
  return count;
}

nlohmann::json report_of(const BinarySandbox& s, const std::string& name) {
  return nlohmann::json::parse(s.read_file(name));
}

}  // namespace

TEST_CASE("proxy: probes and GitHub go through HTTP(S)_PROXY; NO_PROXY and proxy: none bypass it") {
  pw::test::HttpEndpoint site(answer_ok());
  pw::test::NginxFixture nginx;
  REQUIRE(nginx.wait_until_ready());
  TinyProxy proxy;
  BinarySandbox s(k_binaries);
  s.write_file("probewatch.yml",
               fmt::format("defaults: {{ retries: 0, timeout: 10s }}\n"
                           "checks:\n"
                           "  - {{ id: plain, url: \"{}\" }}\n"
                           "  - {{ id: tls, url: \"{}\", ca_file: \"{}\" }}\n"
                           "  - {{ id: direct, url: \"{}\", proxy: none }}\n",
                           site.url("/through-proxy"),
                           nginx.https_url(pw::test::NginxFixture::Site::valid, "/health", "127.0.0.1"),
                           nginx.ca_file(), site.url("/direct-by-setting")));
  const std::map<std::string, std::string> env{{"HTTP_PROXY", proxy.url()}, {"https_proxy", proxy.url()}};
  const ProcessResult run = s.run({"run", "--config", "probewatch.yml", "--report", "report.json"}, env);
  INFO(run.describe() << "\n" << run.out << run.err << "\nproxy log:\n" << proxy.log());
  CHECK(run.exit_code == 0);
  const auto report = report_of(s, "report.json");
  for (const auto& check : report["checks"]) {
    CHECK_MESSAGE(check["ok"] == true, check.dump());
  }
  const std::string log = proxy.log();
  // The probe over http went as an absolute URI, the https one through a tunnel...
  CHECK(log.find(fmt::format("GET {} HTTP/1.1", site.url("/through-proxy"))) != std::string::npos);
  CHECK(log.find(fmt::format("CONNECT 127.0.0.1:{} HTTP/1.1", nginx.https_port(pw::test::NginxFixture::Site::valid))) !=
        std::string::npos);
  // ...and so did the GitHub client's requests to the fake GitHub.
  CHECK(log.find(fmt::format("GET {}/repos/{}/issues?", s.server.url(), BinarySandbox::k_repo)) != std::string::npos);
  // proxy: none connected directly.
  CHECK(log.find("/direct-by-setting") == std::string::npos);

  SUBCASE("NO_PROXY with the site's host:port sends that probe directly, the rest still through the proxy") {
    auto bypass = env;
    bypass["NO_PROXY"] = fmt::format("example.test, 127.0.0.1:{}", site.port());
    s.write_file(
        "probewatch.yml",
        fmt::format("defaults: {{ retries: 0 }}\nchecks:\n  - {{ id: plain, url: \"{}\" }}\n", site.url("/bypassed")));
    const ProcessResult bypassed = s.run({"run", "--config", "probewatch.yml"}, bypass);
    INFO(bypassed.out << bypassed.err);
    CHECK(bypassed.exit_code == 0);
    CHECK(proxy.log().find("/bypassed") == std::string::npos);
    CHECK(count_of(proxy.log(), "/repos/") > count_of(log, "/repos/"));  // GitHub went through it again
  }
}

TEST_CASE("proxy: a proxy that refuses says so, and its password never shows") {
  pw::test::HttpEndpoint site(answer_ok());
  pw::test::NginxFixture nginx;
  REQUIRE(nginx.wait_until_ready());
  TinyProxy guarded("BasicAuth probe pr0xy-s3cret\nConnectPort 443\n");
  BinarySandbox s(k_binaries);
  const int tls_port = nginx.https_port(pw::test::NginxFixture::Site::valid);
  s.write_file(
      "probewatch.yml",
      fmt::format("defaults: {{ retries: 0 }}\nchecks:\n  - {{ id: plain, url: \"{}\" }}\n"
                  "  - {{ id: tls, url: \"{}\", ca_file: \"{}\" }}\n",
                  site.url("/guarded"), nginx.https_url(pw::test::NginxFixture::Site::valid, "/health", "127.0.0.1"),
                  nginx.ca_file()));
  const std::string described = fmt::format("proxy 127.0.0.1:{} (from HTTP_PROXY)", guarded.port());

  SUBCASE("without credentials: 407 for the probe and for GitHub") {
    const ProcessResult run = s.run({"run", "--config", "probewatch.yml", "--report", "report.json"},
                                    {{"HTTP_PROXY", guarded.url()}, {"NO_PROXY", ""}});
    INFO(run.out << run.err);
    CHECK(run.exit_code == 3);
    const auto report = report_of(s, "report.json");
    CHECK(report["checks"][0]["error"] ==
          "the " + described +
              " refused the request: 407 Proxy Authentication Required; put its credentials in the proxy URL "
              "(http://user:password@host:port)");
    CHECK(run.err.find(fmt::format("the {} refused the request to 127.0.0.1:{}: 407 Proxy Authentication Required; "
                                   "put its credentials in the proxy URL (http://user:password@host:port)",
                                   described, s.server.port())) != std::string::npos);
  }
  SUBCASE("with credentials: through, but CONNECT to a port it does not allow is refused") {
    const std::string https_described = fmt::format("proxy 127.0.0.1:{} (from HTTPS_PROXY)", guarded.port());
    const ProcessResult run =
        s.run({"run", "--config", "probewatch.yml", "--report", "report.json"},
              {{"HTTP_PROXY", guarded.url("probe:pr0xy-s3cret")}, {"HTTPS_PROXY", guarded.url("probe:pr0xy-s3cret")}});
    INFO(run.out << run.err << "\nproxy log:\n" << guarded.log());
    CHECK(run.exit_code == 1);
    const auto report = report_of(s, "report.json");
    CHECK(report["checks"][0]["ok"] == true);
    CHECK(report["checks"][1]["error"] ==
          fmt::format("the {} refused to open a tunnel (CONNECT) to 127.0.0.1:{}: 403; check which hosts and ports it "
                      "lets CONNECT reach, or set NO_PROXY (or proxy: none) for this host",
                      https_described, tls_port));
    for (const std::string& text : {run.out, run.err, s.read_file("report.json"), s.github.dump().dump()}) {
      CHECK(text.find("pr0xy-s3cret") == std::string::npos);
      CHECK(text.find("cHJvYmU6cHIweHktczNjcmV0") == std::string::npos);  // base64 of probe:pr0xy-s3cret
    }
    CHECK(guarded.log().find(fmt::format("GET {} HTTP/1.1", site.url("/guarded"))) != std::string::npos);
  }
}
