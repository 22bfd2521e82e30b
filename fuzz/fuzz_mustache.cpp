// Fuzzes the Mustache parser and renderer. The input is split at NUL bytes: the template, the
// context as JSON, then partials named "a", "b", "c", ... (so {{>a}} finds the third part).
// Beyond not crashing: check_mustache and render_mustache agree on whether the template
// parses (and on the message); a rendering stays within the output limit; a failure message
// says where it happened.

#include "fuzz_check.hpp"

#include <bot/render/mustache.hpp>

#include <nlohmann/json.hpp>

#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto parts = fuzz::split(fuzz::as_text(data, size), '\0');
  const std::string_view source = parts[0];
  nlohmann::json context = nlohmann::json::object();
  if (parts.size() > 1) {
    context = nlohmann::json::parse(parts[1], nullptr, false);
    if (context.is_discarded()) {
      context = nlohmann::json::object();
    }
  }
  pw::Partials partials;
  for (std::size_t i = 2; i < parts.size() && i < 2 + 26; ++i) {
    partials.emplace(std::string(1, static_cast<char>('a' + (i - 2))), std::string(parts[i]));
  }

  const auto checked = pw::check_mustache(source);
  const auto rendered = pw::render_mustache(source, context, partials);
  if (!checked) {
    FUZZ_CHECK(!rendered);
    FUZZ_CHECK(rendered.error().message == checked.error().message);
    FUZZ_CHECK(checked.error().message.starts_with("template line "));
    return 0;
  }
  if (rendered) {
    FUZZ_CHECK(rendered->size() <= pw::k_mustache_max_output_bytes);
  } else {
    const std::string& message = rendered.error().message;
    FUZZ_CHECK(message.starts_with("template") || message.starts_with("partial \""));
  }
  return 0;
}
