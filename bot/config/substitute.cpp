#include <bot/config/substitute.hpp>

#include <fmt/format.h>

#include <algorithm>

namespace pw {

namespace {

bool valid_name(std::string_view name) {
  if (name.empty() || (name.front() >= '0' && name.front() <= '9')) {
    return false;
  }
  for (const char c : name) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    if (!ok) {
      return false;
    }
  }
  return true;
}

}  // namespace

bool PublicVariables::contains(std::string_view name) const {
  if ((name.starts_with("GITHUB_") && name != "GITHUB_TOKEN") || name.starts_with("RUNNER_") ||
      name.starts_with("PROBEWATCH_DEPLOY_")) {
    return true;
  }
  return std::find(declared.begin(), declared.end(), name) != declared.end();
}

ReferenceBrackets protect_references(std::string& text) {
  constexpr ReferenceBrackets k_candidates[] = {{'<', '>'}, {'(', ')'}, {'~', '~'}, {'^', '^'}};
  const ReferenceBrackets* chosen = nullptr;
  for (const ReferenceBrackets& candidate : k_candidates) {
    if (text.find(std::string{'$', candidate.open}) == std::string::npos) {
      chosen = &candidate;
      break;
    }
  }
  if (chosen == nullptr) {
    return {};
  }
  for (std::size_t i = 0; i + 1 < text.size(); ++i) {
    if (text[i] != '$' || text[i + 1] != '{' || (i > 0 && text[i - 1] == '$')) {
      continue;
    }
    const std::size_t close = text.find('}', i + 2);
    if (close == std::string::npos || !valid_name(std::string_view(text).substr(i + 2, close - i - 2))) {
      continue;
    }
    text[i + 1] = chosen->open;
    text[close] = chosen->close;
    i = close;
  }
  return *chosen;
}

Expected<std::string> substitute_environment(std::string_view text, const Environment& env, Redactor& secrets,
                                             ReferenceBrackets brackets, const PublicVariables& publics) {
  std::string out;
  std::size_t i = 0;
  const std::string opener{'$', brackets.open};
  while (i < text.size()) {
    if (text.substr(i).starts_with("$${")) {
      out += "${";
      i += 3;
      continue;
    }
    const bool protected_reference = brackets.open != '{' && text.substr(i).starts_with(opener);
    if (!protected_reference && !text.substr(i).starts_with("${")) {
      out += text[i++];
      continue;
    }
    const std::size_t close = text.find(protected_reference ? brackets.close : '}', i + 2);
    if (close == std::string_view::npos) {
      return fail("unterminated \"${\"; write ${NAME}, or $${ for a literal ${");
    }
    const std::string_view name = text.substr(i + 2, close - i - 2);
    if (!valid_name(name)) {
      return fail(fmt::format("\"${{{}}}\" is not a valid variable reference; names use letters, digits and _",
                              std::string(name.substr(0, 64))));
    }
    const auto value = env.find(std::string(name));
    if (value == env.end()) {
      if (name.starts_with("PROBEWATCH_DEPLOY_")) {
        return fail(
            fmt::format("environment variable {} is not set (referenced as ${{{}}}): probewatch sets it on a "
                        "deployment_status run, from the event file at GITHUB_EVENT_PATH; run this config "
                        "on: deployment_status, or set it by hand",
                        std::string(name), std::string(name)));
      }
      return fail(fmt::format("environment variable {} is not set (referenced as ${{{}}})", std::string(name),
                              std::string(name)));
    }
    if (!publics.contains(name)) {
      if (!value->second.empty() && value->second.size() < k_min_secret_length) {
        return fail(fmt::format(
            "the value of {} is a secret of {} character{}, too short to redact without garbling the output; if it "
            "is not secret, declare it public (public: [{}]), otherwise use a value of at least {} characters",
            std::string(name), value->second.size(), value->second.size() == 1 ? "" : "s", std::string(name),
            k_min_secret_length));
      }
      secrets.add(value->second);
    }
    out += value->second;
    i = close + 1;
  }
  return out;
}

}  // namespace pw
