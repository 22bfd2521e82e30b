#pragma once

// Internal to pw_report: the `evidence` object of a vantage report, written (and read back) in vantage_report.cpp and
// added to each check entry by report.cpp.

#include <bot/core/redactor.hpp>
#include <bot/model/check_result.hpp>

#include <nlohmann/json.hpp>

namespace pw {

// Bytes of a body a vantage report keeps (redacted before it is cut).
inline constexpr std::size_t k_vantage_body_bytes = 2048;

// Returns the evidence of `result` as JSON, every text redacted by `secrets`: enough to rebuild
// the result in the fan-in run (parse_vantage_report).
nlohmann::json evidence_json(const CheckResult& result, const Redactor& secrets);

}  // namespace pw
