#pragma once

#include <bot/config/config.hpp>
#include <bot/core/environment.hpp>
#include <bot/core/error.hpp>

#include <string>
#include <string_view>

namespace pw {

// Parses and validates a config file's text. `path` is only used in messages; `env` supplies
// ${NAME} substitutions, each value registered in Config::secrets. On failure the error holds
// one "file:line:col: message" line per problem found (all of them, up to 50).
Expected<Config> load_config(std::string_view text, const std::string& path, const Environment& env);

// True for a vantage name: 1 to 64 letters, digits, '-', '_' or '.' (it names report files and artifacts).
bool is_vantage_name(std::string_view name);

// Returns a check id made from a name: lower-case letters, digits and single dashes.
std::string slugify(std::string_view name);

}  // namespace pw
