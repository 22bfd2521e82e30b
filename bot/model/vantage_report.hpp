#pragma once

#include <bot/core/clock.hpp>
#include <bot/model/check_result.hpp>
#include <bot/model/vantage.hpp>

#include <map>
#include <optional>
#include <string>

namespace pw {

// One vantage's report (`check --vantage NAME --report FILE`), read back. Its text was redacted
// when the vantage wrote it.
struct VantageReport {
  std::string file;  // where it was read from, for messages
  std::string vantage;
  VantageNetwork network = VantageNetwork::unspecified;  // as the vantage's config declared it
  TimePoint generated_at{};
  std::map<std::string, CheckResult> results;  // by check id
  std::map<std::string, std::string> hints;    // the first hint's title, by check id
};

}  // namespace pw
