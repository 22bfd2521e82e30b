#pragma once

#include <github_client/error.hpp>
#include <github_client/types.hpp>

#include <nlohmann/json.hpp>

#include <expected>
#include <string>
#include <string_view>
#include <vector>

namespace github {

// Why a response could not be read, e.g. `field "number" is not an integer`.
struct DecodeError {
  std::string message;
};

template <class T>
using Decoded = std::expected<T, DecodeError>;

// A 4xx/5xx body: GitHub's message and the 422 `errors` array, empty when absent or unreadable.
struct ApiErrorBody {
  std::string message;
  std::string documentation_url;
  std::vector<ValidationError> errors;
};

// Parses JSON text; fails on invalid JSON or nesting deeper than 64. Never throws.
Decoded<nlohmann::json> parse_json(std::string_view text);

// Reads an issue object; fails naming the first field of the wrong type.
Decoded<Issue> decode_issue(const nlohmann::json& value);

// Reads an issue comment object.
Decoded<Comment> decode_comment(const nlohmann::json& value);

// Reads a label object.
Decoded<Label> decode_label(const nlohmann::json& value);

// Reads a pull request object (number, title, state, html_url, merged_at).
Decoded<PullRequest> decode_pull_request(const nlohmann::json& value);

// Returns true when a list-issues item is a pull request (it has a "pull_request" key).
bool is_pull_request(const nlohmann::json& item);

// Reads an error response body leniently: anything unreadable is left empty. Never throws.
ApiErrorBody decode_error_body(std::string_view body);

}  // namespace github
