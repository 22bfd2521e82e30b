// Links pw_render alone (whole archive): a symbol it takes from anywhere else fails this link.
#include <bot/render/markdown.hpp>

#include <cstdio>

int main() {
  std::puts(pw::cut_text("probewatch", 5, "...").c_str());
  return 0;
}
