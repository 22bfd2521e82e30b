#pragma once

#include <filesystem>
#include <string_view>

namespace pw::test {

// Creates a new, empty folder "<temp>/<prefix>-XXXXXX" (temp is $TMPDIR, else /tmp) and returns
// its path. Throws std::system_error naming the pattern when it cannot.
std::filesystem::path make_temp_dir(std::string_view prefix);

// Throws std::system_error for errno, with `what` as the message.
[[noreturn]] void throw_errno(const char* what);

}  // namespace pw::test
