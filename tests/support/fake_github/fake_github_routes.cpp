// The REST endpoints of the fake GitHub, with the semantics the client relies on.
#include <support/fake_github/fake_github.hpp>

#include <support/fake_github/fake_github_internal.hpp>

#include <github_client/iso8601.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <charconv>

namespace pw::test {

namespace {

using nlohmann::json;

constexpr std::string_view k_docs_list = "https://docs.github.com/rest/issues/issues#list-repository-issues";
constexpr std::string_view k_docs_create = "https://docs.github.com/rest/issues/issues#create-an-issue";
constexpr std::string_view k_docs_update = "https://docs.github.com/rest/issues/issues#update-an-issue";
constexpr std::string_view k_docs_comment = "https://docs.github.com/rest/issues/comments#create-an-issue-comment";
constexpr std::string_view k_docs_label = "https://docs.github.com/rest/issues/labels#create-a-label";
constexpr std::string_view k_docs_add_labels = "https://docs.github.com/rest/issues/labels#add-labels-to-an-issue";

int int_param(const std::optional<std::string>& text, int fallback, int min, int max) {
  if (!text) {
    return fallback;
  }
  int value = 0;
  auto [end, error] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (error != std::errc{} || end != text->data() + text->size()) {
    return fallback;
  }
  return std::clamp(value, min, max);
}

std::vector<std::string> split_commas(std::string_view text) {
  std::vector<std::string> parts;
  std::size_t pos = 0;
  while (pos <= text.size()) {
    auto end = std::min(text.find(',', pos), text.size());
    std::string part(text.substr(pos, end - pos));
    while (!part.empty() && part.front() == ' ') {
      part.erase(part.begin());
    }
    while (!part.empty() && part.back() == ' ') {
      part.pop_back();
    }
    if (!part.empty()) {
      parts.push_back(std::move(part));
    }
    pos = end + 1;
  }
  return parts;
}

bool has_label(const FakeIssue& issue, std::string_view name) {
  return std::ranges::any_of(issue.labels, [&](const std::string& label) { return same_name(label, name); });
}

// One page of `items` plus GitHub's Link header; later pages live under /repositories/{id}/.
github::HttpResponse paginate(std::vector<json> items, const std::string& api_base, std::int64_t repo_id,
                              std::string_view rest, std::string_view raw_query,
                              const std::optional<std::string>& per_page_text,
                              const std::optional<std::string>& page_text) {
  int per_page = int_param(per_page_text, 30, 1, 100);
  int page = int_param(page_text, 1, 1, 1000000);
  auto total = static_cast<int>(items.size());
  int last = std::max(1, (total + per_page - 1) / per_page);
  json body = json::array();
  auto first_index = static_cast<std::size_t>(page - 1) * static_cast<std::size_t>(per_page);
  for (std::size_t i = first_index; i < items.size() && i < first_index + static_cast<std::size_t>(per_page); ++i) {
    body.push_back(std::move(items[i]));
  }
  github::HttpResponse response = json_response(200, dump_json(body));
  if (total == 0) {
    return response;
  }
  std::string kept;
  std::size_t pos = 0;
  while (pos < raw_query.size()) {
    auto end = std::min(raw_query.find('&', pos), raw_query.size());
    std::string_view pair = raw_query.substr(pos, end - pos);
    if (!pair.empty() && !pair.starts_with("page=")) {
      kept += std::string(pair) + "&";
    }
    pos = end + 1;
  }
  auto link = [&](int target, std::string_view rel) {
    return fmt::format("<{}/repositories/{}{}?{}page={}>; rel=\"{}\"", api_base, repo_id, rest, kept, target, rel);
  };
  std::vector<std::string> links;
  if (page > 1) {
    links.push_back(link(std::min(page - 1, last), "prev"));
  }
  if (page < last) {
    links.push_back(link(page + 1, "next"));
    links.push_back(link(last, "last"));
  }
  if (page > 1) {
    links.push_back(link(1, "first"));
  }
  std::string header;
  for (const auto& entry : links) {
    header += header.empty() ? entry : ", " + entry;
  }
  if (!header.empty()) {
    response.headers.emplace_back("link", header);
  }
  return response;
}

std::optional<json> parse_body(const std::string& body) {
  json parsed = json::parse(body, nullptr, false);
  if (parsed.is_discarded()) {
    return std::nullopt;
  }
  return parsed;
}

github::HttpResponse problems_parsing_json(std::string_view docs) {
  return json_response(400, error_body("Problems parsing JSON", docs));
}

// Label names from ["a","b"] or [{"name":"a"}]; nullopt when malformed.
std::optional<std::vector<std::string>> label_list(const json& value) {
  if (!value.is_array()) {
    return std::nullopt;
  }
  std::vector<std::string> names;
  for (const auto& entry : value) {
    if (entry.is_string()) {
      names.push_back(entry.get<std::string>());
    } else if (entry.is_object() && entry.contains("name") && entry["name"].is_string()) {
      names.push_back(entry["name"].get<std::string>());
    } else {
      return std::nullopt;
    }
  }
  return names;
}

std::optional<std::vector<std::string>> string_list(const json& value) {
  if (!value.is_array()) {
    return std::nullopt;
  }
  std::vector<std::string> items;
  for (const auto& entry : value) {
    if (!entry.is_string()) {
      return std::nullopt;
    }
    items.push_back(entry.get<std::string>());
  }
  return items;
}

bool is_hex_color(std::string_view color) {
  return color.size() == 6 && std::ranges::all_of(color, [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
         });
}

}  // namespace

github::HttpResponse FakeGitHub::list_issues(FakeRepo& repo, const Context& context) {
  std::string state = context.param("state").value_or("open");
  if (state != "open" && state != "closed" && state != "all") {
    return json_response(422, validation_body("Issue", "invalid", "state", k_docs_list, state));
  }
  std::string sort = context.param("sort").value_or("created");
  std::string direction = context.param("direction").value_or("desc");
  if (sort != "created" && sort != "updated" && sort != "comments") {
    return json_response(422, validation_body("Issue", "invalid", "sort", k_docs_list, sort));
  }
  if (direction != "asc" && direction != "desc") {
    return json_response(422, validation_body("Issue", "invalid", "direction", k_docs_list, direction));
  }
  std::optional<github::TimePoint> since;
  if (auto text = context.param("since")) {
    since = github::parse_iso8601(*text);
    if (!since) {
      return json_response(422, validation_body("Issue", "invalid", "since", k_docs_list, *text));
    }
  }
  auto labels = split_commas(context.param("labels").value_or(""));
  auto creator = context.param("creator");
  std::vector<const FakeIssue*> matching;
  for (const auto& issue : repo.issues) {
    if (!issue.transferred_to.empty() || issue.deleted || (state != "all" && issue.state != state) ||
        (since && issue.updated_at < *since) || (creator && !same_name(issue.author, *creator)) ||
        !std::ranges::all_of(labels, [&](const std::string& label) { return has_label(issue, label); })) {
      continue;
    }
    matching.push_back(&issue);
  }
  std::ranges::sort(matching, [&](const FakeIssue* a, const FakeIssue* b) {
    auto key = [&](const FakeIssue* issue) {
      std::int64_t primary = sort == "comments"  ? issue->comments
                             : sort == "updated" ? issue->updated_at.time_since_epoch().count()
                                                 : issue->created_at.time_since_epoch().count();
      return std::pair{primary, issue->number};
    };
    return direction == "asc" ? key(a) < key(b) : key(b) < key(a);
  });
  std::vector<json> items;
  for (const FakeIssue* issue : matching) {
    items.push_back(render_issue(*issue, repo, context.base));
  }
  return paginate(std::move(items), context.base.api, repo.id, "/issues", context.query, context.param("per_page"),
                  context.param("page"));
}

github::HttpResponse FakeGitHub::get_issue(FakeRepo& repo, int number, const Context& context) {
  FakeIssue* issue = find_issue(repo, number);
  if (issue == nullptr) {
    return json_response(404, error_body("Not Found", "https://docs.github.com/rest/issues/issues#get-an-issue"));
  }
  if (issue->deleted) {
    return json_response(
        410, error_body("This issue was deleted", "https://docs.github.com/rest/issues/issues#get-an-issue"));
  }
  if (!issue->transferred_to.empty()) {
    // GitHub answers for a transferred issue with 301 and the new location.
    auto moved = json_response(
        301,
        dump_json(json{{"message", "Moved Permanently"},
                       {"url", fmt::format("{}/repositories/{}/issues/{}", context.base.api, repo.id + 1, number)}}));
    moved.headers.emplace_back("location",
                               fmt::format("{}/repositories/{}/issues/{}", context.base.api, repo.id + 1, number));
    return moved;
  }
  return json_response(200, dump_json(render_issue(*issue, repo, context.base)));
}

github::HttpResponse FakeGitHub::create_issue(FakeRepo& repo, const Context& context, const std::string& body) {
  auto parsed = parse_body(body);
  if (!parsed || !parsed->is_object()) {
    return problems_parsing_json(k_docs_create);
  }
  const json& input = *parsed;
  FakeIssue issue;
  if (!input.contains("title") || input["title"].is_null() ||
      (input["title"].is_string() && input["title"].get<std::string>().empty())) {
    return json_response(422, validation_body("Issue", "missing_field", "title", k_docs_create));
  }
  if (input["title"].is_string()) {
    issue.title = input["title"].get<std::string>();
  } else if (input["title"].is_number()) {
    issue.title = input["title"].dump();
  } else {
    return json_response(422, validation_body("Issue", "invalid", "title", k_docs_create, input["title"]));
  }
  if (input.contains("body") && !input["body"].is_null()) {
    if (!input["body"].is_string()) {
      return json_response(422, validation_body("Issue", "invalid", "body", k_docs_create, input["body"]));
    }
    issue.body = input["body"].get<std::string>();
  }
  std::vector<std::string> labels;
  if (input.contains("labels") && !input["labels"].is_null()) {
    auto names = label_list(input["labels"]);
    if (!names) {
      return json_response(422, validation_body("Issue", "invalid", "labels", k_docs_create, input["labels"]));
    }
    labels = std::move(*names);
  }
  if (input.contains("assignees") && !input["assignees"].is_null()) {
    auto logins = string_list(input["assignees"]);
    if (!logins) {
      return json_response(422, validation_body("Issue", "invalid", "assignees", k_docs_create, input["assignees"]));
    }
    issue.assignees = std::move(*logins);
  }
  if (input.contains("assignee") && input["assignee"].is_string()) {
    issue.assignees.insert(issue.assignees.begin(), input["assignee"].get<std::string>());
  }
  std::string type;
  bool input_milestone_dropped = false;
  if (input.contains("type") && !input["type"].is_null()) {
    if (!input["type"].is_string()) {
      return json_response(422, validation_body("Issue", "invalid", "type", k_docs_create, input["type"]));
    }
    type = input["type"].get<std::string>();
  }
  if (!repo.labels_allowed) {
    // Without push access GitHub silently drops labels, assignees, milestone and type.
    issue.assignees.clear();
    input_milestone_dropped = true;
    type.clear();
  }
  for (const std::string& login : issue.assignees) {
    if (!repo.assignable.empty() && std::ranges::find(repo.assignable, login) == repo.assignable.end()) {
      return json_response(422, validation_body("Issue", "invalid", "assignees", k_docs_create, json(login)));
    }
  }
  if (!type.empty()) {
    const auto known =
        std::ranges::find_if(repo.issue_types, [&](const std::string& name) { return same_name(name, type); });
    if (known == repo.issue_types.end()) {
      return json_response(422, validation_body("Issue", "invalid", "type", k_docs_create, json(type)));
    }
    issue.type = *known;
  }
  if (!input_milestone_dropped && input.contains("milestone") && !input["milestone"].is_null()) {
    const json& milestone = input["milestone"];
    if (!milestone.is_number_integer() ||
        std::ranges::find(repo.milestones, milestone.get<std::int64_t>()) == repo.milestones.end()) {
      return json_response(422, validation_body("Issue", "invalid", "milestone", k_docs_create, milestone));
    }
    issue.milestone = milestone.get<int>();
  }
  for (const auto& label : repo.labels_allowed ? labels : std::vector<std::string>{}) {
    ensure_label(repo, label);
    std::string name = canonical_label(repo, label);
    if (!has_label(issue, name)) {
      issue.labels.push_back(std::move(name));
    }
  }
  issue.number = next_number(repo);
  issue.id = m_next_issue_id++;
  issue.author = context.login;
  issue.created_at = m_clock.now();
  issue.updated_at = issue.created_at;
  repo.issues.push_back(std::move(issue));
  const FakeIssue& created = repo.issues.back();
  auto response = json_response(201, dump_json(render_issue(created, repo, context.base)));
  response.headers.emplace_back("location",
                                fmt::format("{}/repos/{}/issues/{}", context.base.api, repo.full_name, created.number));
  return response;
}

github::HttpResponse FakeGitHub::update_issue(FakeRepo& repo, int number, const Context& context,
                                              const std::string& body) {
  FakeIssue* issue = find_issue(repo, number);
  if (issue == nullptr) {
    return json_response(404, error_body("Not Found", k_docs_update));
  }
  auto parsed = parse_body(body);
  if (!parsed || !parsed->is_object()) {
    return problems_parsing_json(k_docs_update);
  }
  const json& input = *parsed;
  FakeIssue updated = *issue;
  if (input.contains("title")) {
    if (!input["title"].is_string() || input["title"].get<std::string>().empty()) {
      return json_response(422, validation_body("Issue", "missing_field", "title", k_docs_update));
    }
    updated.title = input["title"].get<std::string>();
  }
  if (input.contains("body")) {
    if (input["body"].is_null()) {
      updated.body.reset();
    } else if (input["body"].is_string()) {
      updated.body = input["body"].get<std::string>();
    } else {
      return json_response(422, validation_body("Issue", "invalid", "body", k_docs_update, input["body"]));
    }
  }
  std::optional<std::string> reason;
  if (input.contains("state_reason") && !input["state_reason"].is_null()) {
    const json& value = input["state_reason"];
    static const std::vector<std::string> k_reasons{"completed", "not_planned", "duplicate", "reopened"};
    if (!value.is_string() || std::ranges::find(k_reasons, value.get<std::string>()) == k_reasons.end()) {
      return json_response(422, validation_body("Issue", "invalid", "state_reason", k_docs_update, value));
    }
    reason = value.get<std::string>();
  }
  auto now = m_clock.now();
  if (input.contains("state")) {
    const json& state = input["state"];
    if (!state.is_string() || (state != "open" && state != "closed")) {
      return json_response(422, validation_body("Issue", "invalid", "state", k_docs_update, state));
    }
    if (state == "closed") {
      if (updated.state != "closed") {
        updated.closed_at = now;
      }
      updated.state = "closed";
      updated.state_reason = reason && *reason != "reopened" ? *reason : "completed";
    } else {
      if (updated.state != "open") {
        updated.state_reason = "reopened";
      } else if (reason) {
        updated.state_reason = *reason;
      }
      updated.state = "open";
      updated.closed_at.reset();
    }
  } else if (reason && updated.state == "closed" && *reason != "reopened") {
    updated.state_reason = *reason;
  }
  if (input.contains("labels")) {
    auto names = label_list(input["labels"]);
    if (!names) {
      return json_response(422, validation_body("Issue", "invalid", "labels", k_docs_update, input["labels"]));
    }
    updated.labels.clear();
    for (const auto& name : *names) {
      ensure_label(repo, name);
      updated.labels.push_back(canonical_label(repo, name));
    }
  }
  if (input.contains("assignees")) {
    auto logins = string_list(input["assignees"]);
    if (!logins) {
      return json_response(422, validation_body("Issue", "invalid", "assignees", k_docs_update, input["assignees"]));
    }
    updated.assignees = std::move(*logins);
  }
  updated.updated_at = now;
  *issue = std::move(updated);
  return json_response(200, dump_json(render_issue(*issue, repo, context.base)));
}

github::HttpResponse FakeGitHub::list_comments(FakeRepo& repo, int number, const Context& context) {
  if (find_issue(repo, number) == nullptr) {
    return json_response(404, error_body("Not Found", k_docs_comment));
  }
  std::optional<github::TimePoint> since;
  if (auto text = context.param("since")) {
    since = github::parse_iso8601(*text);
    if (!since) {
      return json_response(422, validation_body("IssueComment", "invalid", "since", k_docs_comment, *text));
    }
  }
  std::vector<json> items;
  for (const auto& comment : repo.comments) {
    if (comment.issue_number == number && (!since || comment.updated_at >= *since)) {
      items.push_back(render_comment(comment, repo, context.base));
    }
  }
  return paginate(std::move(items), context.base.api, repo.id, fmt::format("/issues/{}/comments", number),
                  context.query, context.param("per_page"), context.param("page"));
}

github::HttpResponse FakeGitHub::create_comment(FakeRepo& repo, int number, const Context& context,
                                                const std::string& body) {
  FakeIssue* issue = find_issue(repo, number);
  if (issue == nullptr) {
    return json_response(404, error_body("Not Found", k_docs_comment));
  }
  auto parsed = parse_body(body);
  if (!parsed || !parsed->is_object()) {
    return problems_parsing_json(k_docs_comment);
  }
  const json& input = *parsed;
  if (!input.contains("body") || !input["body"].is_string() || input["body"].get<std::string>().empty()) {
    return json_response(422, validation_body("IssueComment", "missing_field", "body", k_docs_comment));
  }
  auto now = m_clock.now();
  repo.comments.push_back(
      FakeComment{m_next_comment_id++, number, input["body"].get<std::string>(), context.login, now, now});
  issue->comments += 1;
  issue->updated_at = now;
  return json_response(201, dump_json(render_comment(repo.comments.back(), repo, context.base)));
}

// DELETE /repos/{owner}/{repo}/issues/comments/{comment_id}: 204 No Content, 404 when there is none.
github::HttpResponse FakeGitHub::delete_comment(FakeRepo& repo, std::int64_t id) {
  const auto found = std::ranges::find(repo.comments, id, &FakeComment::id);
  if (found == repo.comments.end()) {
    return json_response(
        404, error_body("Not Found", "https://docs.github.com/rest/issues/comments#delete-an-issue-comment"));
  }
  if (FakeIssue* issue = find_issue(repo, found->issue_number); issue != nullptr) {
    issue->comments -= 1;
  }
  repo.comments.erase(found);
  return github::HttpResponse{204, {}, ""};
}

// GitHub resolves the commit (a full SHA, or a unique prefix of one) and lists the pull requests
// it came from: 422 "No commit found for SHA: ..." when the repository has no such commit.
github::HttpResponse FakeGitHub::list_pulls_for_commit(FakeRepo& repo, const std::string& sha, const Context& context) {
  std::string wanted = sha;
  std::transform(wanted.begin(), wanted.end(), wanted.begin(),
                 [](char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); });
  const FakeCommit* found = nullptr;
  std::size_t matches = 0;
  for (const FakeCommit& commit : repo.commits) {
    if (wanted.size() >= 4 && commit.sha.starts_with(wanted)) {
      found = &commit;
      ++matches;
    }
  }
  if (matches != 1) {
    return json_response(422, error_body(fmt::format("No commit found for SHA: {}", sha),
                                         "https://docs.github.com/rest/commits/commits#list-pull-requests-"
                                         "associated-with-a-commit"));
  }
  std::vector<json> items;
  for (const int number : found->pulls) {
    if (const FakeIssue* pull = find_issue(repo, number)) {
      json rendered = render_issue(*pull, repo, context.base);
      rendered["url"] = fmt::format("{}/repos/{}/pulls/{}", context.base.api, repo.full_name, number);
      rendered.erase("pull_request");
      rendered["merged_at"] = pull->merged_at ? json(github::format_iso8601(*pull->merged_at)) : json(nullptr);
      rendered["merge_commit_sha"] = pull->merged_at ? json(found->sha) : json(nullptr);
      rendered["draft"] = false;
      items.push_back(std::move(rendered));
    }
  }
  return paginate(std::move(items), context.base.api, repo.id, fmt::format("/commits/{}/pulls", sha), context.query,
                  context.param("per_page"), context.param("page"));
}

github::HttpResponse FakeGitHub::list_labels(FakeRepo& repo, const Context& context) {
  std::vector<json> items;
  for (const auto& label : repo.labels) {
    items.push_back(render_label(label, repo, context.base));
  }
  return paginate(std::move(items), context.base.api, repo.id, "/labels", context.query, context.param("per_page"),
                  context.param("page"));
}

github::HttpResponse FakeGitHub::create_label(FakeRepo& repo, const Context& context, const std::string& body) {
  auto parsed = parse_body(body);
  if (!parsed || !parsed->is_object()) {
    return problems_parsing_json(k_docs_label);
  }
  const json& input = *parsed;
  if (!input.contains("name") || !input["name"].is_string() || input["name"].get<std::string>().empty()) {
    return json_response(422, validation_body("Label", "missing_field", "name", k_docs_label));
  }
  std::string name = input["name"].get<std::string>();
  std::string color = "ededed";
  if (input.contains("color") && !input["color"].is_null()) {
    if (!input["color"].is_string() || !is_hex_color(input["color"].get<std::string>())) {
      return json_response(422, validation_body("Label", "invalid", "color", k_docs_label));
    }
    color = input["color"].get<std::string>();
  }
  for (const auto& label : repo.labels) {
    if (same_name(label.name, name)) {
      return json_response(422, validation_body("Label", "already_exists", "name", k_docs_label));
    }
  }
  std::string description;
  if (input.contains("description") && input["description"].is_string()) {
    description = input["description"].get<std::string>();
  }
  repo.labels.push_back(FakeLabel{m_next_label_id++, std::move(name), std::move(color), std::move(description)});
  auto response = json_response(201, dump_json(render_label(repo.labels.back(), repo, context.base)));
  response.headers.emplace_back(
      "location", fmt::format("{}/repos/{}/labels/{}", context.base.api, repo.full_name, repo.labels.back().name));
  return response;
}

github::HttpResponse FakeGitHub::add_labels(FakeRepo& repo, int number, const Context& context,
                                            const std::string& body) {
  FakeIssue* issue = find_issue(repo, number);
  if (issue == nullptr) {
    return json_response(404, error_body("Not Found", k_docs_add_labels));
  }
  auto parsed = parse_body(body);
  if (!parsed) {
    return problems_parsing_json(k_docs_add_labels);
  }
  const json& list = parsed->is_object() && parsed->contains("labels") ? (*parsed)["labels"] : *parsed;
  auto names = label_list(list);
  if (!names || names->empty()) {
    return json_response(422, validation_body("Label", "missing_field", "labels", k_docs_add_labels));
  }
  for (const auto& name : *names) {
    ensure_label(repo, name);
    std::string canonical = canonical_label(repo, name);
    if (!has_label(*issue, canonical)) {
      issue->labels.push_back(std::move(canonical));
    }
  }
  issue->updated_at = m_clock.now();
  json labels = json::array();
  for (const auto& name : issue->labels) {
    for (const auto& label : repo.labels) {
      if (label.name == name) {
        labels.push_back(render_label(label, repo, context.base));
      }
    }
  }
  return json_response(200, dump_json(labels));
}

}  // namespace pw::test
