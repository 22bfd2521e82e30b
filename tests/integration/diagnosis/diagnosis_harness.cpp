#include "diagnosis_harness.hpp"
#include <support/os.hpp>

#include <doctest/doctest.h>
#include <httplib.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <variant>

namespace pw::test {

namespace {

using nlohmann::json;

std::string read_all(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

DiagnosisWorkspace::DiagnosisWorkspace() {
  m_dir = make_temp_dir("probewatch-diagnosis");
  // nginx's workers run as nobody when the tests run as root: they must be able to see the flag
  // files a case creates here.
  std::filesystem::permissions(m_dir, std::filesystem::perms::others_read | std::filesystem::perms::others_exec,
                               std::filesystem::perm_options::add);
}

DiagnosisWorkspace::~DiagnosisWorkspace() {
  std::error_code ignored;
  std::filesystem::remove_all(m_dir, ignored);
}

json DiagnosisWorkspace::run(const std::string& yaml, int exit_code) {
  {
    std::ofstream out(path("probewatch.yml"), std::ios::trunc);
    out << yaml;
  }
  std::filesystem::remove(path("report.json"));
  ProcessSpec spec;
  spec.argv = {PROBEWATCH_BINARY,   "run",      "--config",   "probewatch.yml", "--tracker",
               "local:issues.json", "--report", "report.json"};
  spec.env = inherited_environment();
  spec.env["HOME"] = m_dir.string();  // nothing from the developer's home, and no GitHub token
  spec.cwd = m_dir;
  spec.timeout = std::chrono::seconds(30);
  m_last = run_process(std::move(spec));
  ++m_runs;
  INFO("run " << m_runs << ": " << m_last.describe() << "\nconfig:\n"
              << yaml << "stdout:\n"
              << m_last.out << "\nstderr:\n"
              << m_last.err);
  CHECK(m_last.exit_code == exit_code);
  CHECK(m_last.err.find("Sanitizer") == std::string::npos);
  CHECK(m_last.err.find("runtime error:") == std::string::npos);
  json report = json::parse(read_all(path("report.json")), nullptr, false);
  REQUIRE_MESSAGE(report.is_object(), "no report; the run ended with " << m_last.describe());
  return report;
}

json DiagnosisWorkspace::issues() const {
  const json document = json::parse(read_all(path("issues.json")), nullptr, false);
  return document.is_object() && document.contains("issues") ? document["issues"] : json::array();
}

std::string DiagnosisWorkspace::incident_body(const std::string& check) const {
  for (const json& issue : issues()) {
    const std::string body = issue.value("body", "");
    const auto marker = parse_marker(body);
    if (issue.value("state", "") == "open" && marker && std::holds_alternative<IncidentState>(*marker) &&
        std::get<IncidentState>(*marker).check == check) {
      return body;
    }
  }
  return "";
}

std::optional<HealthyFingerprint> DiagnosisWorkspace::healthy() const {
  for (const json& issue : issues()) {
    const auto marker = parse_marker(issue.value("body", ""));
    if (issue.value("state", "") == "open" && marker && std::holds_alternative<DashboardState>(*marker)) {
      const auto& hosts = std::get<DashboardState>(*marker).hosts;
      if (!hosts.empty()) {
        return hosts.begin()->second;
      }
    }
  }
  return std::nullopt;
}

const json& check_in(const json& report, const std::string& id) {
  for (const json& check : report.at("checks")) {
    if (check.at("id") == id) {
      return check;
    }
  }
  FAIL("no check " << id << " in the report:\n" << report.dump(2));
  return report;  // not reached: FAIL throws
}

std::vector<std::string> hint_ids(const json& report, const std::string& check) {
  const json& entry = check_in(report, check);
  INFO("check " << check << " in the report:\n" << entry.dump(2));
  std::vector<std::string> ids;
  for (const json& hint : entry.at("hints")) {
    ids.push_back(hint.at("id").get<std::string>());
  }
  return ids;
}

json first_hint(const json& report, const std::string& check) {
  const json& entry = check_in(report, check);
  REQUIRE_FALSE(entry.at("hints").empty());
  return entry.at("hints").at(0);
}

App::App()
    : m_endpoint([this](const httplib::Request& request, httplib::Response& response) {
        const int status = status_of(request.path);
        response.status = status;
        response.set_header("Server", k_server);
        response.set_header("X-Request-Id", "req-" + std::to_string(++m_requests));
        response.set_content(status == 200   ? R"({"status":"ok"})"
                             : status == 404 ? R"({"error":"no route for this path"})"
                                             : R"({"error":"internal error"})",
                             "application/json");
      }) {}

void App::set_status(const std::string& path, int status) {
  const std::lock_guard lock(m_mutex);
  m_status[path] = status;
}

int App::status_of(const std::string& path) {
  const std::lock_guard lock(m_mutex);
  if (const auto found = m_status.find(path); found != m_status.end()) {
    return found->second;
  }
  return path.starts_with("/api/") ? 200 : 404;
}

}  // namespace pw::test
