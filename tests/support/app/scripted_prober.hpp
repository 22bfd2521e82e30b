#pragma once

#include <bot/probe/prober.hpp>

#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace pw::test {

// A Prober whose answers the test sets per URL: up (200 JSON), an HTTP status, or a timeout.
class ScriptedProber final : public Prober {
 public:
  // Answers `url` with `status` and a small body from now on.
  void set_status(const std::string& url, int status);
  // Makes `url` time out from now on.
  void set_timeout(const std::string& url);
  // Answers `url` with exactly this evidence from now on.
  void set(const std::string& url, Evidence evidence);
  // Answers successive attempts at `url` with these, repeating the last one.
  void set_sequence(const std::string& url, std::vector<Evidence> answers);
  // Returns a 200 JSON answer with this body.
  static Evidence json(const std::string& url, const std::string& body, int status = 200);
  Evidence attempt(const Check& check) override;
  std::size_t attempts() const;

 private:
  mutable std::mutex m_mutex;
  std::map<std::string, Evidence> m_answers;
  std::map<std::string, std::vector<Evidence>> m_sequences;
  std::size_t m_attempts = 0;
};

}  // namespace pw::test
