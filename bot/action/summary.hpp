#pragma once

#include <bot/report/report.hpp>

#include <string>

namespace pw {

// GitHub rejects a step summary over 1 MiB; we stay well below.
inline constexpr std::size_t k_max_summary_bytes = 1000 * 1000;

// Returns the job summary in Markdown: a table of checks (verdict, status, time, incident), a
// Mermaid chart of response times, likely causes and the issue changes. Secrets redacted;
// untrusted text escaped; under k_max_summary_bytes.
std::string job_summary(const RunReport& report);

// Returns the Mermaid chart of response time per check (at most 40 checks, slowest first).
std::string response_time_chart(const RunReport& report);

}  // namespace pw
