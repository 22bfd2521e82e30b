#pragma once

#include <bot/model/check.hpp>
#include <bot/model/check_result.hpp>

#include <optional>
#include <string>
#include <vector>

namespace pw {

// Judges `evidence` against `expect` at time `now` (for certificate expiry). Returns the
// expectations that failed, in the order of the expect block. A transport failure yields
// no expectation lines: the evidence's error is the reason.
std::vector<FailedExpectation> judge(const Expect& expect, const Evidence& evidence, TimePoint now);

// Returns why a passing attempt counts as degraded (slower than expect.degraded_response_time),
// or nullopt when it does not.
std::optional<std::string> degraded_reason(const Expect& expect, const Evidence& evidence);

// Formats status ranges as written in messages: "[200, 300-399]".
std::string format_status_ranges(const std::vector<StatusRange>& ranges);

}  // namespace pw
