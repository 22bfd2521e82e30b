#include <support/fake_github/fake_json.hpp>

#include <github_client/iso8601.hpp>

#include <fmt/format.h>

namespace pw::test {

namespace {

using nlohmann::json;

std::int64_t user_id(std::string_view login) {
  std::uint32_t hash = 2166136261u;
  for (char c : login) {
    hash = (hash ^ static_cast<unsigned char>(c)) * 16777619u;
  }
  return 1000 + static_cast<std::int64_t>(hash % 9000000u);
}

json timestamp(const std::optional<github::TimePoint>& time) {
  return time ? json(github::format_iso8601(*time)) : json(nullptr);
}

const FakeLabel* find_label(const FakeRepo& repo, std::string_view name) {
  for (const auto& label : repo.labels) {
    if (label.name == name) {
      return &label;
    }
  }
  return nullptr;
}

}  // namespace

std::string dump_json(const json& value) { return value.dump(-1, ' ', false, json::error_handler_t::replace); }

json render_user(std::string_view login) {
  bool bot = login.ends_with("[bot]");
  return json{{"login", login},
              {"id", user_id(login)},
              {"node_id", "MDQ6VXNlcjE="},
              {"type", bot ? "Bot" : "User"},
              {"site_admin", false}};
}

json render_label(const FakeLabel& label, const FakeRepo& repo, const UrlBase& base) {
  return json{{"id", label.id},
              {"node_id", "MDU6TGFiZWwx"},
              {"url", fmt::format("{}/repos/{}/labels/{}", base.api, repo.full_name, label.name)},
              {"name", label.name},
              {"color", label.color},
              {"default", false},
              {"description", label.description.empty() ? json(nullptr) : json(label.description)}};
}

json render_issue(const FakeIssue& issue, const FakeRepo& repo, const UrlBase& base) {
  std::string api_url = fmt::format("{}/repos/{}/issues/{}", base.api, repo.full_name, issue.number);
  std::string html_url =
      fmt::format("{}/{}/{}/{}", base.web, repo.full_name, issue.pull_request ? "pull" : "issues", issue.number);
  json labels = json::array();
  for (const auto& name : issue.labels) {
    if (const FakeLabel* label = find_label(repo, name)) {
      labels.push_back(render_label(*label, repo, base));
    }
  }
  json assignees = json::array();
  for (const auto& login : issue.assignees) {
    assignees.push_back(render_user(login));
  }
  json rendered{
      {"url", api_url},
      {"repository_url", fmt::format("{}/repos/{}", base.api, repo.full_name)},
      {"labels_url", api_url + "/labels{/name}"},
      {"comments_url", api_url + "/comments"},
      {"events_url", api_url + "/events"},
      {"html_url", html_url},
      {"id", issue.id},
      {"node_id", "MDU6SXNzdWUx"},
      {"number", issue.number},
      {"title", issue.title},
      {"user", render_user(issue.author)},
      {"labels", labels},
      {"state", issue.state},
      {"locked", false},
      {"assignee", issue.assignees.empty() ? json(nullptr) : render_user(issue.assignees.front())},
      {"assignees", assignees},
      {"milestone", issue.milestone ? json{{"number", *issue.milestone}, {"state", "open"}} : json(nullptr)},
      {"comments", issue.comments},
      {"created_at", timestamp(issue.created_at)},
      {"updated_at", timestamp(issue.updated_at)},
      {"closed_at", timestamp(issue.closed_at)},
      {"author_association", "OWNER"},
      {"active_lock_reason", nullptr},
      {"body", issue.body ? json(*issue.body) : json(nullptr)},
      {"closed_by", nullptr},
      {"state_reason", issue.state_reason.empty() ? json(nullptr) : json(issue.state_reason)},
      {"type", issue.type.empty() ? json(nullptr) : json{{"id", 1}, {"name", issue.type}, {"color", "red"}}},
  };
  if (issue.pull_request) {
    rendered["pull_request"] =
        json{{"url", fmt::format("{}/repos/{}/pulls/{}", base.api, repo.full_name, issue.number)},
             {"html_url", html_url},
             {"merged_at", nullptr}};
  }
  return rendered;
}

json render_comment(const FakeComment& comment, const FakeRepo& repo, const UrlBase& base) {
  return json{
      {"url", fmt::format("{}/repos/{}/issues/comments/{}", base.api, repo.full_name, comment.id)},
      {"html_url",
       fmt::format("{}/{}/issues/{}#issuecomment-{}", base.web, repo.full_name, comment.issue_number, comment.id)},
      {"issue_url", fmt::format("{}/repos/{}/issues/{}", base.api, repo.full_name, comment.issue_number)},
      {"id", comment.id},
      {"node_id", "MDEyOklzc3VlQ29tbWVudDE="},
      {"user", render_user(comment.author)},
      {"created_at", github::format_iso8601(comment.created_at)},
      {"updated_at", github::format_iso8601(comment.updated_at)},
      {"author_association", "OWNER"},
      {"body", comment.body},
  };
}

std::string error_body(std::string_view message, std::string_view documentation_url) {
  return dump_json(json{{"message", message}, {"documentation_url", documentation_url}});
}

std::string validation_body(std::string_view resource, std::string_view code, std::string_view field,
                            std::string_view documentation_url, const json& value) {
  json error{{"resource", resource}, {"code", code}, {"field", field}};
  if (!value.is_null()) {
    error["value"] = value;
  }
  return dump_json(json{
      {"message", "Validation Failed"}, {"errors", json::array({error})}, {"documentation_url", documentation_url}});
}

}  // namespace pw::test
