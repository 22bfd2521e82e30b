// Links pw_import alone (whole archive): a symbol it takes from anywhere else fails this link.
#include <bot/import/import.hpp>

#include <cstdio>

int main() {
  std::printf("%d\n", pw::import_upptime("", "empty.yml").has_value() ? 1 : 0);
  return 0;
}
