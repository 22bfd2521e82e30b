// Fuzzes the front matter of rendered templates (user templates decide the title, labels and
// assignees of issues). Beyond not crashing: the body is trimmed, the title is one line, and no
// label or assignee is empty or carries a comma or a line break.

#include "fuzz_check.hpp"

#include <bot/render/templates.hpp>

#include <string>

namespace {

bool trimmed(std::string_view text) {
  const auto space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  return text.empty() || (!space(text.front()) && !space(text.back()));
}

void check_names(const std::vector<std::string>& names) {
  for (const std::string& name : names) {
    FUZZ_CHECK(!name.empty());
    FUZZ_CHECK(name.find(',') == std::string::npos && name.find('\n') == std::string::npos);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto issue = pw::split_front_matter(fuzz::as_text(data, size));
  if (!issue) {
    FUZZ_CHECK(!issue.error().message.empty());
    FUZZ_CHECK(fuzz::valid_utf8(issue.error().message));
    return 0;
  }
  FUZZ_CHECK(trimmed(issue->body));
  FUZZ_CHECK(issue->front.title.find('\n') == std::string::npos);
  check_names(issue->front.labels);
  check_names(issue->front.assignees);
  return 0;
}
