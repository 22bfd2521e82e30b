#pragma once

#include <bot/config/config.hpp>
#include <bot/diagnose/hint.hpp>
#include <bot/model/check_result.hpp>
#include <bot/model/fingerprint.hpp>
#include <bot/model/url.hpp>

#include <string>
#include <vector>

namespace pw {

// Everything the rules may look at for one failing check.
struct DiagnosisInput {
  const Check& check;
  const CheckResult& result;
  HealthyFingerprint healthy;                                          // empty when never seen passing
  std::vector<std::pair<const Check*, const CheckResult*>> same_host;  // the other checks on its host
};

// Returns the likely causes the evidence points to, each with the evidence that triggered it.
// The rules live in one table (hints.cpp); each fires only on its own kind of failure.
std::vector<Hint> diagnose(const DiagnosisInput& input);

}  // namespace pw
