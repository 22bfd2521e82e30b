// Links pw_expect alone (whole archive): a symbol it takes from anywhere else fails this link.
#include <bot/expect/expectations.hpp>

#include <cstdio>

int main() {
  std::puts(pw::format_status_ranges({}).c_str());
  return 0;
}
