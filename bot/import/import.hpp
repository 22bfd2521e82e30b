#pragma once

#include <bot/core/error.hpp>

#include <string>
#include <string_view>

namespace pw {

// Translates an Upptime `.upptimerc.yml` into probewatch config text: every site becomes a check,
// every option without an equivalent is kept as a comment that says why. `file` names the source
// in messages. Fails when the text is not YAML, has no `sites:` list, or no site can be imported.
Expected<std::string> import_upptime(std::string_view text, const std::string& file);

// Translates a Gatus `config.yaml` into probewatch config text: every endpoint becomes a check,
// its conditions become expectations, and everything without an equivalent is kept as a comment
// that says why. Fails when the text is not YAML, has no `endpoints:` list, or none can be imported.
Expected<std::string> import_gatus(std::string_view text, const std::string& file);

}  // namespace pw
