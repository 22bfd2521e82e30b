// Fuzzes the title normalization that triage uses to find duplicate issues (titles are
// outside input). Beyond not crashing: the key is valid UTF-8, lower case, with single
// spaces, no space at either end and none of the trailing punctuation it strips.

#include "fuzz_check.hpp"

#include <bot/triage/triage.hpp>

#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string key = pw::normalize_title(fuzz::as_text(data, size));
  FUZZ_CHECK(fuzz::valid_utf8(key));
  FUZZ_CHECK(key.find("  ") == std::string::npos);
  FUZZ_CHECK(key.find_first_of("\t\r\n") == std::string::npos);
  FUZZ_CHECK(key.find_first_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ") == std::string::npos);
  if (!key.empty()) {
    FUZZ_CHECK(key.front() != ' ');
    FUZZ_CHECK(std::string_view(" .!:-()[],").find(key.back()) == std::string_view::npos);
  }
  return 0;
}
