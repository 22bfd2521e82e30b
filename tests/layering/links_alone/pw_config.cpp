// Links pw_config alone (whole archive): a symbol it takes from anywhere else fails this link.
#include <bot/config/load.hpp>

#include <cstdio>

int main() {
  std::puts(pw::slugify("API health").c_str());
  return 0;
}
