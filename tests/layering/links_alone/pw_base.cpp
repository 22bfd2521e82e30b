// Links pw_base alone (whole archive): a symbol it takes from anywhere else fails this link.
#include <base/iso8601.hpp>
#include <base/percent.hpp>

#include <cstdio>

int main() {
  const auto time = pw::base::parse_iso8601("2026-12-02T00:00:00Z");
  std::puts((pw::base::format_iso8601(time.value_or(pw::base::TimePoint{})) + pw::base::percent_encode(" ")).c_str());
  return 0;
}
