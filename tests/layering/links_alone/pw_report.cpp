// Links pw_report alone (whole archive): a symbol it takes from anywhere else fails this link.
#include <bot/report/verdict.hpp>

#include <cstdio>

int main() {
  std::puts(pw::reason_of(pw::CheckResult{}).c_str());
  return 0;
}
