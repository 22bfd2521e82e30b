#pragma once

#include <bot/core/environment.hpp>
#include <bot/core/error.hpp>
#include <bot/core/redactor.hpp>

#include <string>
#include <string_view>

namespace pw {

// The brackets of a ${NAME} reference: "{}" as written, or the pair protect_references chose.
struct ReferenceBrackets {
  char open = '{';
  char close = '}';
};

// Replaces each ${NAME} in `text` with the variable's value from `env` and registers the
// value as a secret; "$${" stands for a literal "${". Fails naming the first variable that is
// unset, or an unterminated or malformed reference.
Expected<std::string> substitute_environment(std::string_view text, const Environment& env, Redactor& secrets,
                                             ReferenceBrackets brackets = {});

// YAML does not allow "{" and "}" inside a plain scalar in a flow mapping, so
// `json: { /version: ${GITHUB_SHA} }` would not parse. Rewrites each ${NAME} to use brackets
// that YAML accepts there (same length, so line:col stay right), chosen so they occur nowhere
// else in the text; substitute_environment then reads them with the returned brackets.
ReferenceBrackets protect_references(std::string& text);

}  // namespace pw
