#pragma once

#include <bot/report/report.hpp>

#include <cstddef>
#include <string>

namespace pw {

// GitHub shows at most 10 error and 10 notice annotations per step; more are dropped silently.
inline constexpr std::size_t k_max_annotations = 10;

// Returns the step's annotations: one ::error per failing check and one ::notice per incident
// opened, reopened or closed, each kind capped at k_max_annotations, then, when any were left
// out, one ::warning that says how many and that the job summary lists them all. Secrets redacted.
std::string annotation_commands(const RunReport& report);

}  // namespace pw
