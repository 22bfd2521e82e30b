// Links pw_diagnose alone (whole archive): a symbol it takes from anywhere else fails this link.
#include <bot/diagnose/diagnose.hpp>

#include <cstdio>

int main() {
  const pw::Check check;
  const pw::CheckResult result;
  std::printf("%zu\n", pw::diagnose({check, result, {}, {}}).size());
  return 0;
}
