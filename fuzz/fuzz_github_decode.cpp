// Fuzzes the decoding of GitHub responses: JSON with the depth limit, issues, comments,
// labels and error bodies. The input is the response body.
// Beyond not crashing: parse_json accepts exactly the valid JSON at most 64 levels deep;
// decoded numbers are in range; error-body texts are clipped and free of control bytes.

#include "fuzz_check.hpp"

#include <github_client/decode.hpp>

#include <climits>

namespace {

int depth_of(const nlohmann::json& value) {
  int deepest = 0;
  if (value.is_structured()) {
    for (const auto& child : value) {
      deepest = std::max(deepest, depth_of(child));
    }
    return deepest + 1;
  }
  return 0;
}

void decode_item(const nlohmann::json& item) {
  if (const auto issue = github::decode_issue(item)) {
    FUZZ_CHECK(issue->number >= 1);
  } else {
    FUZZ_CHECK(!issue.error().message.empty());
  }
  if (const auto comment = github::decode_comment(item)) {
    FUZZ_CHECK(comment->id >= 1);
  }
  if (const auto label = github::decode_label(item)) {
    FUZZ_CHECK(item.is_object() && item.contains("name"));
  }
  (void)github::is_pull_request(item);
}

bool clean(const std::string& text) {
  if (text.size() > 503) {
    return false;
  }
  for (const char c : text) {
    if (static_cast<unsigned char>(c) < 0x20) {
      return false;
    }
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view body = fuzz::as_text(data, size);
  const auto parsed = github::parse_json(body);
  const nlohmann::json reference = nlohmann::json::parse(body, nullptr, false);
  if (parsed) {
    FUZZ_CHECK(!reference.is_discarded() && *parsed == reference);
    FUZZ_CHECK(depth_of(*parsed) <= 64);
    if (parsed->is_array()) {
      for (const auto& item : *parsed) {
        decode_item(item);
      }
    } else {
      decode_item(*parsed);
    }
  } else if (!reference.is_discarded() && body.find('\0') == std::string_view::npos) {
    // (nlohmann reads a NUL byte as the end of the text; the depth check reads on past it.)
    FUZZ_CHECK(depth_of(reference) > 64);
  }

  const github::ApiErrorBody error = github::decode_error_body(body);
  FUZZ_CHECK(clean(error.message) && clean(error.documentation_url));
  FUZZ_CHECK(error.errors.size() <= 50);
  for (const auto& entry : error.errors) {
    FUZZ_CHECK(clean(entry.resource) && clean(entry.code) && clean(entry.field) && clean(entry.message) &&
               clean(entry.value));
  }
  return 0;
}
