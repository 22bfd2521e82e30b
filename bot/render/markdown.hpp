#pragma once

#include <bot/core/redactor.hpp>

#include <cstddef>
#include <string>
#include <string_view>

namespace pw {

// GitHub's limit for an issue body or comment is 65,536 characters; we stay below it.
inline constexpr std::size_t k_max_issue_text = 65'000;

// Every function here but cut_text takes untrusted text, and only as Redacted: redact first, then
// escape (a secret escaped first no longer matches its redaction).

// Breaks @mentions, #123 references and HTML comment openers ("<!--") with a zero-width space,
// so untrusted text pings nobody, links to no issue, and cannot pass for the bot's own markers
// ("<!-- probewatch:v1 ...", the section's begin and end lines), which are found by plain search.
std::string neutralize_references(const Redacted& text);

// Wraps untrusted text in a code fence longer than any run of backticks inside it, after
// making it valid UTF-8 and neutralizing references. `info` is the fence's language tag.
std::string code_fence(const Redacted& text, std::string_view info = "");

// Wraps one line of untrusted text as inline code (newlines become spaces).
std::string inline_code(const Redacted& text);

// Escapes untrusted text for Markdown prose and table cells: no formatting, HTML, links,
// mentions or references take effect.
std::string escape_markdown(const Redacted& text);

// Returns `text` cut to at most `max_bytes` on a character boundary, with `note` appended when
// cut (the note counts toward the limit).
std::string cut_text(std::string_view text, std::size_t max_bytes, std::string_view note);

}  // namespace pw
