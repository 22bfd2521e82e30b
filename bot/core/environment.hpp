#pragma once

#include <map>
#include <optional>
#include <string>

namespace pw {

// The process environment as a value, so pure code never calls getenv.
using Environment = std::map<std::string, std::string>;

// Reads `environ` into a map. Only main and the action edge call this.
Environment read_process_environment();

// Returns the value of `name` when set and non-empty.
std::optional<std::string> lookup(const Environment& env, const std::string& name);

}  // namespace pw
