#pragma once

#include <bot/core/error.hpp>

#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace pw {

// An ECMAScript-style regular expression (PCRE2 in its JavaScript-compatible mode) with
// bounded matching: a hostile subject can make a match fail, never crash or hang.
class Regex {
 public:
  // Compiles `pattern`; the error names the offset and the reason.
  static Expected<Regex> compile(std::string_view pattern);

  // Returns the first match in `subject`, or nullopt. Hitting the match limit counts as
  // no match.
  std::optional<std::string> search(std::string_view subject) const;
  bool matches(std::string_view subject) const { return search(subject).has_value(); }
  const std::string& pattern() const { return m_pattern; }

 private:
  struct Code;
  std::string m_pattern;
  std::shared_ptr<const Code> m_code;
};

}  // namespace pw
