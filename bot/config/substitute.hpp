#pragma once

#include <bot/core/environment.hpp>
#include <bot/core/error.hpp>
#include <bot/core/redactor.hpp>

#include <string>
#include <string_view>

namespace pw {

// Replaces each ${NAME} in `text` with the variable's value from `env` and registers the
// value as a secret; "$${" stands for a literal "${". Fails naming the first variable that is
// unset, or an unterminated or malformed reference.
Expected<std::string> substitute_environment(std::string_view text, const Environment& env, Redactor& secrets);

}  // namespace pw
