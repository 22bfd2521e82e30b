#include <github_client/encode.hpp>

namespace github {

using nlohmann::json;

std::string to_compact_json(const json& value) { return value.dump(-1, ' ', false, json::error_handler_t::replace); }

std::string encode_new_issue(const NewIssue& issue) {
  json body = json::object();
  body["title"] = issue.title;
  if (!issue.body.empty()) {
    body["body"] = issue.body;
  }
  if (!issue.labels.empty()) {
    body["labels"] = issue.labels;
  }
  if (!issue.assignees.empty()) {
    body["assignees"] = issue.assignees;
  }
  if (issue.milestone) {
    body["milestone"] = *issue.milestone;
  }
  if (issue.type) {
    body["type"] = *issue.type;
  }
  return to_compact_json(body);
}

std::string encode_issue_update(const IssueUpdate& update) {
  json body = json::object();
  if (update.title) {
    body["title"] = *update.title;
  }
  if (update.body) {
    body["body"] = *update.body;
  }
  if (update.state) {
    body["state"] = *update.state;
  }
  if (update.state_reason) {
    body["state_reason"] = *update.state_reason;
  }
  return to_compact_json(body);
}

std::string encode_comment(std::string_view body) { return to_compact_json(json{{"body", body}}); }

std::string encode_label(const Label& label) {
  json body = json::object();
  body["name"] = label.name;
  body["color"] = label.color;
  if (!label.description.empty()) {
    body["description"] = label.description;
  }
  return to_compact_json(body);
}

std::string encode_label_names(const std::vector<std::string>& labels) {
  return to_compact_json(json{{"labels", labels}});
}

}  // namespace github
