#pragma once

#include <bot/config/config.hpp>
#include <bot/diagnose/hint.hpp>
#include <bot/model/check_result.hpp>

#include <string>
#include <vector>

namespace pw {

// What a healthy response from the check looked like, remembered by the dashboard.
struct HealthyFingerprint {
  std::string server;             // its Server header
  std::string request_id_header;  // the request-id header it carried, if any
};

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

// Returns the host[:port] of a URL, lower-case, or "" when it does not parse.
std::string host_of(const std::string& url);

}  // namespace pw
