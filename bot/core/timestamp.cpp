#include <bot/core/timestamp.hpp>

namespace pw {

std::string format_human_time(TimePoint time) {
  const std::string iso = format_timestamp(time);  // 2026-11-27T23:52:28Z
  return iso.substr(0, 10) + " " + iso.substr(11, 5) + " UTC";
}

}  // namespace pw
