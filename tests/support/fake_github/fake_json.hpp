#pragma once

#include <support/fake_github/model.hpp>

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

namespace pw::test {

// Where rendered URLs point: the API root the request came in on, and the web root.
struct UrlBase {
  std::string api;  // e.g. "http://127.0.0.1:4567/api/v3"
  std::string web;  // e.g. "https://github.com"
};

// Serializes compactly, replacing invalid UTF-8 instead of throwing.
std::string dump_json(const nlohmann::json& value);

// A user object: {"login":..,"id":..,"type":"User"|"Bot",...}.
nlohmann::json render_user(std::string_view login);

// A label object as GitHub returns it.
nlohmann::json render_label(const FakeLabel& label, const FakeRepo& repo, const UrlBase& base);

// An issue (or pull request, with its "pull_request" key) as GitHub's issue endpoints return it.
nlohmann::json render_issue(const FakeIssue& issue, const FakeRepo& repo, const UrlBase& base);

// A comment as GitHub returns it.
nlohmann::json render_comment(const FakeComment& comment, const FakeRepo& repo, const UrlBase& base);

// {"message":..,"documentation_url":..}
std::string error_body(std::string_view message, std::string_view documentation_url);

// {"message":"Validation Failed","errors":[{"resource":..,"code":..,"field":..}],"documentation_url":..}
// `value` is echoed as GitHub does for "invalid" errors when not null.
std::string validation_body(std::string_view resource, std::string_view code, std::string_view field,
                            std::string_view documentation_url, const nlohmann::json& value = nullptr);

}  // namespace pw::test
