#include <support/app/scripted_prober.hpp>

namespace pw::test {

void ScriptedProber::set_status(const std::string& url, int status) {
  Evidence evidence;
  evidence.url = url;
  evidence.addresses = {"127.0.0.1"};
  evidence.status = status;
  evidence.response_time = std::chrono::milliseconds(12);
  evidence.headers = {{"content-type", "application/json"}, {"server", "scripted"}};
  evidence.body = status < 400 ? R"({"status":"ok"})" : R"({"error":"not found"})";
  set(url, std::move(evidence));
}

void ScriptedProber::set_timeout(const std::string& url) {
  Evidence evidence;
  evidence.url = url;
  evidence.addresses = {"127.0.0.1"};
  evidence.failure = TransportFailure::timeout;
  evidence.failure_phase = Phase::headers;
  evidence.error = "timed out after 10s while waiting for response headers";
  evidence.response_time = std::chrono::milliseconds(10'000);
  set(url, std::move(evidence));
}

void ScriptedProber::set(const std::string& url, Evidence evidence) {
  std::lock_guard lock(m_mutex);
  m_answers[url] = std::move(evidence);
}

void ScriptedProber::set_sequence(const std::string& url, std::vector<Evidence> answers) {
  std::lock_guard lock(m_mutex);
  m_sequences[url] = std::move(answers);
}

Evidence ScriptedProber::json(const std::string& url, const std::string& body, int status) {
  Evidence evidence;
  evidence.url = url;
  evidence.status = status;
  evidence.response_time = std::chrono::milliseconds(20);
  evidence.headers = {{"content-type", "application/json"}};
  evidence.body = body;
  return evidence;
}

Evidence ScriptedProber::attempt(const Check& check) {
  std::lock_guard lock(m_mutex);
  ++m_attempts;
  if (auto sequence = m_sequences.find(check.url); sequence != m_sequences.end() && !sequence->second.empty()) {
    Evidence next = sequence->second.front();
    if (sequence->second.size() > 1) {
      sequence->second.erase(sequence->second.begin());
    }
    return next;
  }
  const auto found = m_answers.find(check.url);
  if (found != m_answers.end()) {
    return found->second;
  }
  Evidence refused;
  refused.url = check.url;
  refused.failure = TransportFailure::refused;
  refused.failure_phase = Phase::connect;
  refused.error = "connection refused (no scripted answer)";
  return refused;
}

std::size_t ScriptedProber::attempts() const {
  std::lock_guard lock(m_mutex);
  return m_attempts;
}

}  // namespace pw::test
