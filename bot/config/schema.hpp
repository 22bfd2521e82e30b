#pragma once

#include <string>

namespace pw {

// Returns the JSON Schema (draft 2020-12) of the config file, pretty-printed, generated from
// the same key table the loader validates against.
std::string config_schema();

}  // namespace pw
