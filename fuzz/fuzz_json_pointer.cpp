// Fuzzes RFC 6901 JSON Pointers: the first line is the pointer, the rest a JSON document.
// Beyond not crashing: the parsed tokens escape back to the pointer exactly, and a resolved
// value is the one nlohmann's own pointer finds.

#include "fuzz_check.hpp"

#include <bot/core/json_pointer.hpp>

#include <nlohmann/json.hpp>

#include <string>

namespace {

std::string escape(const std::string& token) {
  std::string out;
  for (const char c : token) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = fuzz::as_text(data, size);
  const std::size_t newline = text.find('\n');
  const std::string_view pointer = text.substr(0, newline);
  const std::string_view document_text = newline == std::string_view::npos ? "" : text.substr(newline + 1);

  const auto tokens = pw::parse_json_pointer(pointer);
  if (!tokens) {
    FUZZ_CHECK(!tokens.error().message.empty());
    return 0;
  }
  std::string rebuilt;
  for (const std::string& token : *tokens) {
    rebuilt += "/" + escape(token);
  }
  FUZZ_CHECK(rebuilt == pointer);

  const nlohmann::json document = nlohmann::json::parse(document_text, nullptr, false);
  if (document.is_discarded()) {
    return 0;
  }
  const nlohmann::json* found = pw::resolve_json_pointer(document, *tokens);
  if (found != nullptr) {
    // nlohmann agrees wherever our stricter reading (no "-", no leading zeros) finds a value.
    try {
      FUZZ_CHECK(document.at(nlohmann::json::json_pointer(std::string(pointer))) == *found);
    } catch (const nlohmann::json::exception&) {
      FUZZ_CHECK(false);
    }
  }
  return 0;
}
