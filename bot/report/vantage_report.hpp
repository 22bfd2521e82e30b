#pragma once

#include <bot/core/error.hpp>
#include <bot/model/vantage_report.hpp>

#include <string>
#include <string_view>

namespace pw {

// Parses a report written by `probewatch check --vantage NAME --report FILE`. Fails with one line
// naming `file`, the field that is wrong and what to do; never throws.
Expected<VantageReport> parse_vantage_report(std::string_view text, const std::string& file);

}  // namespace pw
