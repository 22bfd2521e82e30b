// Links pw_model alone (whole archive): a symbol it takes from anywhere else fails this link.
#include <bot/model/url.hpp>

#include <cstdio>

int main() {
  std::puts(pw::host_of("https://example.com/").c_str());
  return 0;
}
