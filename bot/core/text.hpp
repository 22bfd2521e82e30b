#pragma once

#include <string>
#include <string_view>

namespace pw {

// Returns `text` as valid UTF-8: each invalid byte becomes U+FFFD, NUL and other C0
// controls except tab and newline become U+FFFD too.
std::string sanitize_utf8(std::string_view text);

// Returns at most `max_bytes` of `text`, cut on a UTF-8 character boundary.
std::string_view utf8_prefix(std::string_view text, std::size_t max_bytes);

// Returns `text` in double quotes for a message a person reads: valid UTF-8 without control bytes
// (sanitize_utf8), cut after `max_bytes` on a character boundary and then marked with "…".
std::string quote(std::string_view text, std::size_t max_bytes);

// Returns an ASCII-lower-cased copy.
std::string to_lower(std::string_view text);

// Returns `text` without leading and trailing whitespace.
std::string_view trim(std::string_view text);

// Case-insensitive ASCII equality.
bool iequals(std::string_view a, std::string_view b);

// True when `text` is non-empty and only hex digits (either case).
bool is_hex(std::string_view text);

// Levenshtein distance, for did-you-mean suggestions.
std::size_t edit_distance(std::string_view a, std::string_view b);

}  // namespace pw
