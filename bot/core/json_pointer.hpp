#pragma once

#include <bot/core/error.hpp>

#include <nlohmann/json_fwd.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace pw {

// Splits an RFC 6901 JSON Pointer ("/a/b~1c/0") into unescaped reference tokens.
// "" is the whole document. Fails when the pointer does not start with "/" or holds a
// "~" not followed by 0 or 1.
Expected<std::vector<std::string>> parse_json_pointer(std::string_view pointer);

// Returns the value the tokens point at in `document`, or nullptr when any step is missing
// (an absent key, an index out of range or not a number, a step into a scalar).
const nlohmann::json* resolve_json_pointer(const nlohmann::json& document, const std::vector<std::string>& tokens);

}  // namespace pw
