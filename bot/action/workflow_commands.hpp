#pragma once

#include <string>
#include <string_view>

namespace pw {

// GitHub Actions workflow commands ("::error title=...::message"), escaped as the runner expects.

// Escapes a command's message: % CR LF.
std::string escape_command_data(std::string_view text);
// Escapes a command property value: % CR LF : ,
std::string escape_command_property(std::string_view text);

std::string error_command(std::string_view title, std::string_view message);
std::string notice_command(std::string_view title, std::string_view message);
std::string mask_command(std::string_view secret);
std::string group_command(std::string_view title);
std::string end_group_command();

// Returns "name<<DELIM\nvalue\nDELIM\n" for $GITHUB_OUTPUT, with a delimiter that does not
// occur in the value, so multi-line values survive.
std::string output_entry(std::string_view name, std::string_view value);

}  // namespace pw
