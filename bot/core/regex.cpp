#define PCRE2_CODE_UNIT_WIDTH 8
#include <bot/core/regex.hpp>

#include <fmt/format.h>
#include <pcre2.h>

namespace pw {

struct Regex::Code {
  pcre2_code* code = nullptr;
  ~Code() { pcre2_code_free(code); }
};

namespace {

// Enough for any sane health-check pattern; a catastrophic pattern on a hostile body
// stops here instead of running for minutes.
constexpr std::uint32_t k_match_limit = 10'000'000;
// Backtracking memory (KiB); PCRE2 keeps it on the heap, never on the stack.
constexpr std::uint32_t k_heap_limit_kib = 64 * 1024;

}  // namespace

Expected<Regex> Regex::compile(std::string_view pattern) {
  int error_code = 0;
  PCRE2_SIZE error_offset = 0;
  pcre2_compile_context* context = pcre2_compile_context_create(nullptr);
  pcre2_set_compile_extra_options(context, PCRE2_EXTRA_ALT_BSUX);
  pcre2_code* code =
      pcre2_compile(reinterpret_cast<PCRE2_SPTR>(pattern.data()), pattern.size(),
                    PCRE2_UTF | PCRE2_MATCH_INVALID_UTF | PCRE2_ALT_BSUX, &error_code, &error_offset, context);
  pcre2_compile_context_free(context);
  if (code == nullptr) {
    PCRE2_UCHAR buffer[256];
    pcre2_get_error_message(error_code, buffer, sizeof buffer);
    return fail(fmt::format("invalid regular expression at offset {}: {}", error_offset,
                            reinterpret_cast<const char*>(buffer)));
  }
  Regex regex;
  regex.m_pattern = std::string(pattern);
  auto holder = std::make_shared<Code>();
  holder->code = code;
  regex.m_code = std::move(holder);
  return regex;
}

std::optional<std::string> Regex::search(std::string_view subject) const {
  if (!m_code) {
    return std::nullopt;
  }
  pcre2_match_data* data = pcre2_match_data_create_from_pattern(m_code->code, nullptr);
  pcre2_match_context* context = pcre2_match_context_create(nullptr);
  pcre2_set_match_limit(context, k_match_limit);
  pcre2_set_heap_limit(context, k_heap_limit_kib);
  const int rc =
      pcre2_match(m_code->code, reinterpret_cast<PCRE2_SPTR>(subject.data()), subject.size(), 0, 0, data, context);
  std::optional<std::string> found;
  if (rc > 0) {
    const PCRE2_SIZE* ovector = pcre2_get_ovector_pointer(data);
    if (ovector[0] <= ovector[1] && ovector[1] <= subject.size()) {
      found = std::string(subject.substr(ovector[0], ovector[1] - ovector[0]));
    } else {
      found = std::string();
    }
  }
  pcre2_match_context_free(context);
  pcre2_match_data_free(data);
  return found;
}

}  // namespace pw
