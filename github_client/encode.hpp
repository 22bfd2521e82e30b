#pragma once

#include <github_client/types.hpp>

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace github {

// Serializes compactly; invalid UTF-8 is replaced rather than thrown on.
std::string to_compact_json(const nlohmann::json& value);

// {"title":..,"body":..,"labels":[..],"assignees":[..],"milestone":N}, empty fields left out.
std::string encode_new_issue(const NewIssue& issue);

// Only the fields that are set, e.g. {"state":"closed","state_reason":"completed"}.
std::string encode_issue_update(const IssueUpdate& update);

// {"body":..}
std::string encode_comment(std::string_view body);

// {"name":..,"color":..,"description":..}, an empty description left out.
std::string encode_label(const Label& label);

// {"labels":[..]}
std::string encode_label_names(const std::vector<std::string>& labels);

}  // namespace github
