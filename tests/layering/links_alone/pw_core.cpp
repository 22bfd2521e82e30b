// Links pw_core alone (whole archive): a symbol it takes from anywhere else fails this link.
#include <bot/core/duration.hpp>

#include <cstdio>

int main() {
  std::puts(pw::format_duration(pw::Millis{1500}).c_str());
  return 0;
}
