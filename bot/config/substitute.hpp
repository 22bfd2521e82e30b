#pragma once

#include <bot/core/environment.hpp>
#include <bot/core/error.hpp>
#include <bot/core/redactor.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace pw {

// The brackets of a ${NAME} reference: "{}" as written, or the pair protect_references chose.
struct ReferenceBrackets {
  char open = '{';
  char close = '}';
};

// A secret shorter than this would turn ordinary text into "***" wherever it occurs.
inline constexpr std::size_t k_min_secret_length = 4;

// Which ${NAME} values are shown rather than redacted: GITHUB_* (but GITHUB_TOKEN) and RUNNER_*,
// as GitHub itself treats them, PROBEWATCH_DEPLOY_* (what a deployment_status event tells), and the
// names the config's `public:` list declares.
struct PublicVariables {
  std::vector<std::string> declared;
  // Returns true when `name`'s value is public.
  bool contains(std::string_view name) const;
};

// Replaces each ${NAME} in `text` with the variable's value from `env` and registers the value
// as a secret unless `publics` has it; "$${" stands for a literal "${". Fails naming the first
// variable that is unset, a secret shorter than k_min_secret_length, or an unterminated or
// malformed reference.
Expected<std::string> substitute_environment(std::string_view text, const Environment& env, Redactor& secrets,
                                             ReferenceBrackets brackets = {}, const PublicVariables& publics = {});

// YAML does not allow "{" and "}" inside a plain scalar in a flow mapping, so
// `json: { /version: ${GITHUB_SHA} }` would not parse. Rewrites each ${NAME} to use brackets
// that YAML accepts there (same length, so line:col stay right), chosen so they occur nowhere
// else in the text; substitute_environment then reads them with the returned brackets.
ReferenceBrackets protect_references(std::string& text);

}  // namespace pw
