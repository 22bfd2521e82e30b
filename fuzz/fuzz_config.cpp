// Fuzzes the config loader (YAML -> Config), including ${NAME} substitution.
// Beyond not crashing: a loaded config holds only valid, unique check ids, http(s) URLs and
// status ranges within 100-599; a failure is lines of valid UTF-8 without control bytes, each
// naming the file; the secret never appears in an error message, not even in part.

#include "fuzz_check.hpp"

#include <bot/config/load.hpp>
#include <bot/core/json_pointer.hpp>

#include <set>
#include <string>

namespace {

constexpr std::string_view k_secret = "s3cr3t-T0ken-0123456789";

bool mentions_secret(std::string_view text) {
  // Any 8-byte piece of the secret counts: a message cut in the middle of it still leaks.
  for (std::size_t i = 0; i + 8 <= k_secret.size(); ++i) {
    if (text.find(k_secret.substr(i, 8)) != std::string_view::npos) {
      return true;
    }
  }
  return false;
}

bool valid_id(std::string_view id) {
  if (id.empty() || id.size() > 100) {
    return false;
  }
  for (const char c : id) {
    const bool ok =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
    if (!ok) {
      return false;
    }
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = fuzz::as_text(data, size);
  const pw::Environment env = {{"API_HOST", "api.example.com"}, {"API_TOKEN", std::string(k_secret)}};
  const auto config = pw::load_config(text, "fuzz.yml", env);
  if (!config) {
    const std::string& message = config.error().message;
    FUZZ_CHECK(!message.empty());
    for (const auto line : fuzz::split(message, '\n')) {
      FUZZ_CHECK_TEXT(line.starts_with("fuzz.yml"), message);
      FUZZ_CHECK_TEXT(fuzz::valid_utf8(line), message);
      for (const char c : line) {
        FUZZ_CHECK_TEXT(c == '\t' || static_cast<unsigned char>(c) >= 0x20, message);
      }
    }
    if (!mentions_secret(text)) {
      FUZZ_CHECK_TEXT(!mentions_secret(message), message);
    }
    return 0;
  }
  FUZZ_CHECK(!config->checks.empty());
  FUZZ_CHECK(!config->issues.labels.empty());
  std::set<std::string> ids;
  for (const pw::Check& check : config->checks) {
    FUZZ_CHECK(valid_id(check.id));
    FUZZ_CHECK(ids.insert(check.id).second);
    FUZZ_CHECK(!check.name.empty());
    std::string scheme = check.url.substr(0, 8);
    for (char& c : scheme) {
      c = c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
    }
    FUZZ_CHECK(scheme.starts_with("http://") || scheme.starts_with("https://"));
    FUZZ_CHECK(!check.expect.status.empty());
    for (const pw::StatusRange& range : check.expect.status) {
      FUZZ_CHECK(range.low >= 100 && range.low <= range.high && range.high <= 599);
    }
    for (const pw::JsonExpectation& json : check.expect.json) {
      const auto tokens = pw::parse_json_pointer(json.pointer);
      FUZZ_CHECK(tokens && *tokens == json.tokens);
    }
  }
  return 0;
}
