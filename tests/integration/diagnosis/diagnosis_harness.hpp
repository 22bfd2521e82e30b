#pragma once

#include <bot/reconcile/marker.hpp>

#include <support/e2e/http_endpoint.hpp>
#include <support/process.hpp>

#include <nlohmann/json.hpp>

#include <atomic>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace pw::test {

// A temporary working folder in which the real probewatch binary runs with a config the test
// writes, a local tracker file that lasts across runs (so the dashboard remembers the healthy
// fingerprint) and a JSON report. The folder is removed by the destructor.
class DiagnosisWorkspace {
 public:
  DiagnosisWorkspace();
  ~DiagnosisWorkspace();
  DiagnosisWorkspace(const DiagnosisWorkspace&) = delete;
  DiagnosisWorkspace& operator=(const DiagnosisWorkspace&) = delete;

  std::filesystem::path path(const std::string& name) const { return m_dir / name; }

  // Runs `probewatch run --config probewatch.yml --tracker local:issues.json --report report.json`
  // with `yaml` as the config; checks that it exited with `exit_code` and no sanitizer report, and
  // returns the parsed report.
  nlohmann::json run(const std::string& yaml, int exit_code);

  // The body of the open incident of `check` in the local tracker ("" when there is none).
  std::string incident_body(const std::string& check) const;
  // How the (one) probed host looked when healthy, as the dashboard in the local tracker remembers it.
  std::optional<HealthyFingerprint> healthy() const;

  const ProcessResult& last() const { return m_last; }

 private:
  nlohmann::json issues() const;

  std::filesystem::path m_dir;
  ProcessResult m_last;
  int m_runs = 0;
};

// The report's entry for check `id` (fails the test when it is missing).
const nlohmann::json& check_in(const nlohmann::json& report, const std::string& id);
// The ids of the hints the report gives `check`, in order; fails the test when the check is missing.
std::vector<std::string> hint_ids(const nlohmann::json& report, const std::string& check);
// The report's first hint for `check` (fails the test when there is none).
nlohmann::json first_hint(const nlohmann::json& report, const std::string& check);

// The application behind the edge: answers /api/* with {"status":"ok"} (or an error body), a
// `Server: app/1.0` header and a fresh X-Request-Id, with the status the test sets per path (200
// by default); any other path gets the application's own 404, with the same headers.
class App {
 public:
  static constexpr const char* k_server = "app/1.0";

  App();
  // Makes `path` answer `status` from now on.
  void set_status(const std::string& path, int status);
  int port() const { return m_endpoint.port(); }
  std::string url(const std::string& path) const { return m_endpoint.url(path); }

 private:
  int status_of(const std::string& path);

  std::mutex m_mutex;
  std::map<std::string, int> m_status;
  std::atomic<int> m_requests{0};
  HttpEndpoint m_endpoint;  // last: it serves from the members above
};

}  // namespace pw::test
