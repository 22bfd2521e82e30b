#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace pw {

// Replaces every known secret with "***" in text bound for logs, reports and issues.
// Secrets are matched as written, JSON-escaped (with and without "\/") and percent-encoded (upper-
// and lower-case hex), longest first.
class Redactor {
 public:
  // Registers a secret; empty values are ignored.
  void add(std::string_view secret);
  // Returns `text` with every registered secret replaced by "***".
  std::string apply(std::string_view text) const;
  // Returns the secrets as registered (for masking in GitHub Actions).
  const std::vector<std::string>& secrets() const { return m_secrets; }
  bool empty() const { return m_secrets.empty(); }

 private:
  std::vector<std::string> m_secrets;
  std::vector<std::string> m_forms;  // every spelling to replace, longest first
};

}  // namespace pw
