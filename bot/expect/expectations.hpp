#pragma once

#include <bot/model/check.hpp>
#include <bot/model/check_result.hpp>

#include <expected>
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

// The early-warning check made from `check` (cert_warning set), with its verdict at `now`: passing
// while the certificate chain has more than cert_warning left, failing ("expires in 12 days")
// within it. Without a certificate in the probe (the check failed before the handshake) the result
// has no verdict: its incident stays as it is. nullopt when the check sets no cert_warning.
struct EarlyWarning {
  Check check;
  CheckResult result;
  std::string problem;  // why there is no verdict, for the run's warnings; empty otherwise
};
std::optional<EarlyWarning> certificate_warning(const Check& check, const CheckResult& probed, TimePoint now);

// Reads the expiration date from an RDAP domain answer (RFC 9083: the "expiration" event of
// "events"). Fails with one line that says what is missing or wrong.
std::expected<TimePoint, std::string> rdap_expiration(std::string_view body);

// The early-warning check "X:domain" made from `check` (domain_warning set), judged on `answer`,
// the RDAP server's reply for check.domain: failing when the registration expires within
// domain_warning. Without a usable answer (none, a transport failure, a status other than 200, no
// expiration) it has no verdict and `problem` says why. nullopt when the check sets no
// domain_warning.
std::optional<EarlyWarning> domain_warning(const Check& check, const Evidence* answer, TimePoint now);

// How much of a served version is kept (cut on a character boundary).
inline constexpr std::size_t k_version_bytes = 100;

// Returns the version `source` reads from the evidence: the scalar at its JSON Pointer (a string
// as is, a number or boolean as written) or the header's value, trimmed, valid UTF-8 without
// control bytes, at most k_version_bytes. nullopt when it is absent, empty, null or not a scalar.
std::optional<std::string> served_version(const VersionSource& source, const Evidence& evidence);

// Formats status ranges as written in messages: "[200, 300-399]".
std::string format_status_ranges(const std::vector<StatusRange>& ranges);

}  // namespace pw
