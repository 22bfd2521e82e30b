#pragma once

#include <bot/model/check_result.hpp>

#include <string>

namespace pw {

// Returns the one line that says why a check failed: the transport error, else the first failed
// expectation; "ok" when it passed.
std::string reason_of(const CheckResult& result);

// Returns the kind of failure, stable across runs so a change of kind can be noticed:
// "timeout", "dns", "refused", ... for transport failures, else the failed expectations' keys
// ("status:404", "json:/status") joined by ",". Empty when the check passed.
std::string signature_of(const CheckResult& result);

}  // namespace pw
