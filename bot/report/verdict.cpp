#include <bot/report/verdict.hpp>

namespace pw {

std::string reason_of(const CheckResult& result) {
  if (result.ok) {
    return "ok";
  }
  if (result.evidence.failure != TransportFailure::none) {
    return result.evidence.error.empty() ? to_string(result.evidence.failure) : result.evidence.error;
  }
  if (!result.failed.empty()) {
    return result.failed.front().message;
  }
  return "failed";
}

std::string signature_of(const CheckResult& result) {
  if (result.ok) {
    return "";
  }
  if (result.evidence.failure != TransportFailure::none) {
    return to_string(result.evidence.failure);
  }
  std::string signature;
  for (const FailedExpectation& failed : result.failed) {
    signature += signature.empty() ? "" : ",";
    signature += failed.key;
  }
  return signature.empty() ? "failed" : signature;
}

}  // namespace pw
