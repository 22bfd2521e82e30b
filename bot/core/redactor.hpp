#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace pw {

class Redactor;

// Text from outside (evidence, URLs, headers, bodies, error texts) after redaction. Only a
// Redactor makes one, and Markdown rendering accepts only this type, so unredacted text
// reaching an issue is a compile error.
class Redacted {
 public:
  const std::string& str() const { return m_text; }
  std::string_view view() const { return m_text; }
  bool empty() const { return m_text.empty(); }

 private:
  friend class Redactor;
  explicit Redacted(std::string text) : m_text(std::move(text)) {}
  std::string m_text;
};

// Replaces every known secret with "***" in text bound for logs, reports and issues.
// Secrets are matched as written and in the forms encoding and escaping make of them:
// JSON-escaped (with and without "\/"), percent-encoded (fully, upper- and lower-case hex, or
// only where a request target must be), HTML entities, and the Markdown forms of
// bot/render/markdown (zero-width space after "@" and "#", backslash escapes, "|" as "/");
// longest first.
class Redactor {
 public:
  // Registers a secret; empty values are ignored.
  void add(std::string_view secret);
  // Returns `text` with every registered secret replaced by "***".
  std::string apply(std::string_view text) const;
  // Returns `text` redacted, as the type rendering accepts.
  Redacted redact(std::string_view text) const { return Redacted(apply(text)); }
  // Returns the secrets as registered (for masking in GitHub Actions).
  const std::vector<std::string>& secrets() const { return m_secrets; }
  bool empty() const { return m_secrets.empty(); }

 private:
  std::vector<std::string> m_secrets;
  std::vector<std::string> m_forms;  // every spelling to replace, longest first
};

}  // namespace pw
