#include <support/fake_github/fake_github.hpp>

#include <support/fake_github/fake_github_internal.hpp>

#include <github_client/iso8601.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <stdexcept>

namespace pw::test {

using nlohmann::json;

bool same_name(std::string_view a, std::string_view b) {
  return std::ranges::equal(a, b, [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
  });
}

github::HttpResponse json_response(int status, std::string body) {
  return github::HttpResponse{status, {{"content-type", "application/json; charset=utf-8"}}, std::move(body)};
}

FakeGitHub::FakeGitHub(FakeGitHubOptions options)
    : m_options(std::move(options)),
      m_own_clock(std::make_unique<ManualClock>()),
      m_clock(*m_own_clock),
      m_rate_remaining(m_options.rate_limit) {}

FakeGitHub::FakeGitHub(github::Clock& clock, FakeGitHubOptions options)
    : m_options(std::move(options)), m_clock(clock), m_rate_remaining(m_options.rate_limit) {}

github::TimePoint FakeGitHub::now() const { return m_clock.now(); }

ManualClock* FakeGitHub::manual_clock() { return m_own_clock.get(); }

FakeRepo* FakeGitHub::find_repo(std::string_view full_name) {
  for (auto& repo : m_repos) {
    if (same_name(repo.full_name, full_name)) {
      return &repo;
    }
  }
  return nullptr;
}

const FakeRepo* FakeGitHub::find_repo(std::string_view full_name) const {
  return const_cast<FakeGitHub*>(this)->find_repo(full_name);
}

FakeRepo* FakeGitHub::find_repo_by_id(std::int64_t id) {
  for (auto& repo : m_repos) {
    if (repo.id == id) {
      return &repo;
    }
  }
  return nullptr;
}

FakeRepo& FakeGitHub::require_repo(std::string_view full_name) {
  FakeRepo* repo = find_repo(full_name);
  if (repo == nullptr) {
    throw std::invalid_argument(fmt::format("fake GitHub: no repository \"{}\"; call add_repo first", full_name));
  }
  return *repo;
}

FakeIssue* FakeGitHub::find_issue(FakeRepo& repo, int number) {
  for (auto& issue : repo.issues) {
    if (issue.number == number) {
      return &issue;
    }
  }
  return nullptr;
}

std::string FakeGitHub::canonical_label(const FakeRepo& repo, std::string_view name) const {
  for (const auto& label : repo.labels) {
    if (same_name(label.name, name)) {
      return label.name;
    }
  }
  return std::string(name);
}

void FakeGitHub::ensure_label(FakeRepo& repo, std::string_view name) {
  for (const auto& label : repo.labels) {
    if (same_name(label.name, name)) {
      return;
    }
  }
  repo.labels.push_back(FakeLabel{m_next_label_id++, std::string(name), "ededed", ""});
}

int FakeGitHub::next_number(const FakeRepo& repo) const {
  return repo.issues.empty() ? 1 : repo.issues.back().number + 1;
}

std::int64_t FakeGitHub::add_repo(std::string_view full_name) {
  std::lock_guard lock(m_mutex);
  if (FakeRepo* existing = find_repo(full_name)) {
    return existing->id;
  }
  if (full_name.find('/') == std::string_view::npos) {
    throw std::invalid_argument(fmt::format("fake GitHub: \"{}\" is not owner/name", full_name));
  }
  FakeRepo repo;
  repo.id = m_next_repo_id++;
  repo.full_name = std::string(full_name);
  m_repos.push_back(std::move(repo));
  return m_repos.back().id;
}

void FakeGitHub::set_issues_enabled(std::string_view repo, bool enabled) {
  std::lock_guard lock(m_mutex);
  require_repo(repo).issues_enabled = enabled;
}

void FakeGitHub::set_labels_allowed(std::string_view repo, bool allowed) {
  std::lock_guard lock(m_mutex);
  require_repo(repo).labels_allowed = allowed;
}

void FakeGitHub::set_assignable(std::string_view repo, std::vector<std::string> logins) {
  std::lock_guard lock(m_mutex);
  require_repo(repo).assignable = std::move(logins);
}

void FakeGitHub::set_issue_types(std::string_view repo, std::vector<std::string> types) {
  std::lock_guard lock(m_mutex);
  require_repo(repo).issue_types = std::move(types);
}

void FakeGitHub::transfer_issue(std::string_view repo, int number, std::string_view to_repo) {
  std::lock_guard lock(m_mutex);
  FakeIssue* issue = find_issue(require_repo(repo), number);
  if (issue != nullptr) {
    issue->transferred_to = std::string(to_repo);
  }
}

void FakeGitHub::delete_issue(std::string_view repo, int number) {
  std::lock_guard lock(m_mutex);
  FakeIssue* issue = find_issue(require_repo(repo), number);
  if (issue != nullptr) {
    issue->deleted = true;
  }
}

void FakeGitHub::add_token(std::string token, std::string login) {
  std::lock_guard lock(m_mutex);
  m_tokens[std::move(token)] = std::move(login);
}

void FakeGitHub::add_label(std::string_view repo, std::string name, std::string color, std::string description) {
  std::lock_guard lock(m_mutex);
  FakeRepo& target = require_repo(repo);
  for (const auto& label : target.labels) {
    if (same_name(label.name, name)) {
      return;
    }
  }
  target.labels.push_back(FakeLabel{m_next_label_id++, std::move(name), std::move(color), std::move(description)});
}

void FakeGitHub::add_milestone(std::string_view repo, int number) {
  std::lock_guard lock(m_mutex);
  require_repo(repo).milestones.push_back(number);
}

int FakeGitHub::seed(std::string_view repo_name, const SeedIssue& seed_issue, bool pull_request) {
  std::lock_guard lock(m_mutex);
  FakeRepo& repo = require_repo(repo_name);
  FakeIssue issue;
  issue.number = next_number(repo);
  issue.id = m_next_issue_id++;
  issue.title = seed_issue.title;
  issue.body = seed_issue.body.empty() ? std::nullopt : std::optional(seed_issue.body);
  issue.state = seed_issue.state;
  issue.author = seed_issue.author;
  issue.assignees = seed_issue.assignees;
  issue.pull_request = pull_request;
  for (const auto& label : seed_issue.labels) {
    ensure_label(repo, label);
    issue.labels.push_back(canonical_label(repo, label));
  }
  issue.created_at = seed_issue.created_at.value_or(m_clock.now());
  issue.updated_at = seed_issue.updated_at.value_or(issue.created_at);
  if (issue.state == "closed") {
    issue.closed_at = seed_issue.closed_at.value_or(issue.updated_at);
    issue.state_reason = seed_issue.state_reason.empty() ? "completed" : seed_issue.state_reason;
  } else {
    issue.state_reason = seed_issue.state_reason;
  }
  repo.issues.push_back(std::move(issue));
  return repo.issues.back().number;
}

int FakeGitHub::add_issue(std::string_view repo, const SeedIssue& issue) { return seed(repo, issue, false); }

int FakeGitHub::add_pull_request(std::string_view repo, const SeedIssue& pull_request) {
  return seed(repo, pull_request, true);
}

void FakeGitHub::add_commit(std::string_view repo_name, std::string sha, std::vector<int> pulls, bool merged) {
  std::lock_guard lock(m_mutex);
  FakeRepo& repo = require_repo(repo_name);
  for (const int number : pulls) {
    FakeIssue* pull = find_issue(repo, number);
    if (pull == nullptr || !pull->pull_request) {
      throw std::invalid_argument(fmt::format("fake GitHub: no pull request #{} in {}", number, repo_name));
    }
    if (merged) {
      pull->merged_at = m_clock.now();
      pull->state = "closed";
      pull->closed_at = m_clock.now();
    }
  }
  std::transform(sha.begin(), sha.end(), sha.begin(),
                 [](char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); });
  repo.commits.push_back({std::move(sha), std::move(pulls)});
}

std::int64_t FakeGitHub::add_comment(std::string_view repo_name, int number, std::string body, std::string author,
                                     std::optional<github::TimePoint> at) {
  std::lock_guard lock(m_mutex);
  FakeRepo& repo = require_repo(repo_name);
  FakeIssue* issue = find_issue(repo, number);
  if (issue == nullptr) {
    throw std::invalid_argument(fmt::format("fake GitHub: no issue #{} in {}", number, repo_name));
  }
  auto time = at.value_or(m_clock.now());
  repo.comments.push_back(FakeComment{m_next_comment_id++, number, std::move(body), std::move(author), time, time});
  issue->comments += 1;
  issue->updated_at = std::max(issue->updated_at, time);
  return repo.comments.back().id;
}

void FakeGitHub::set_rate_limit(std::int64_t remaining, std::optional<github::TimePoint> reset) {
  std::lock_guard lock(m_mutex);
  m_rate_remaining = remaining;
  m_rate_reset = reset.value_or(m_clock.now() + std::chrono::hours{1});
}

void FakeGitHub::reset() {
  std::lock_guard lock(m_mutex);
  m_repos.clear();
  m_tokens.clear();
  m_faults.clear();
  m_requests.clear();
  m_rate_remaining = m_options.rate_limit;
  m_rate_reset.reset();
}

void FakeGitHub::inject(FaultRule rule) {
  std::lock_guard lock(m_mutex);
  rule.matched = 0;
  rule.fired = 0;
  m_faults.push_back(std::move(rule));
}

void FakeGitHub::clear_faults() {
  std::lock_guard lock(m_mutex);
  m_faults.clear();
}

std::vector<FaultRule> FakeGitHub::faults() const {
  std::lock_guard lock(m_mutex);
  return m_faults;
}

std::optional<FakeIssue> FakeGitHub::issue(std::string_view repo, int number) const {
  std::lock_guard lock(m_mutex);
  const FakeRepo* found = find_repo(repo);
  if (found == nullptr) {
    return std::nullopt;
  }
  for (const auto& candidate : found->issues) {
    if (candidate.number == number) {
      return candidate;
    }
  }
  return std::nullopt;
}

std::vector<FakeIssue> FakeGitHub::issues(std::string_view repo) const {
  std::lock_guard lock(m_mutex);
  std::vector<FakeIssue> result;
  if (const FakeRepo* found = find_repo(repo)) {
    std::ranges::copy_if(found->issues, std::back_inserter(result), [](const FakeIssue& i) { return !i.pull_request; });
  }
  return result;
}

std::vector<FakeComment> FakeGitHub::comments(std::string_view repo, int number) const {
  std::lock_guard lock(m_mutex);
  std::vector<FakeComment> result;
  if (const FakeRepo* found = find_repo(repo)) {
    std::ranges::copy_if(found->comments, std::back_inserter(result),
                         [&](const FakeComment& c) { return c.issue_number == number; });
  }
  return result;
}

std::vector<FakeLabel> FakeGitHub::labels(std::string_view repo) const {
  std::lock_guard lock(m_mutex);
  const FakeRepo* found = find_repo(repo);
  return found != nullptr ? found->labels : std::vector<FakeLabel>{};
}

std::vector<LoggedRequest> FakeGitHub::requests() const {
  std::lock_guard lock(m_mutex);
  return m_requests;
}

std::size_t FakeGitHub::count_requests(std::string_view method, std::string_view path_or_operation) const {
  std::lock_guard lock(m_mutex);
  return static_cast<std::size_t>(std::ranges::count_if(m_requests, [&](const LoggedRequest& request) {
    return (method.empty() || request.method == method) &&
           (path_or_operation.empty() || request.operation == path_or_operation ||
            request.path.find(path_or_operation) != std::string::npos);
  }));
}

void FakeGitHub::clear_requests() {
  std::lock_guard lock(m_mutex);
  m_requests.clear();
}

std::int64_t FakeGitHub::rate_limit_remaining() const {
  std::lock_guard lock(m_mutex);
  return m_rate_remaining;
}

json FakeGitHub::dump() const {
  std::lock_guard lock(m_mutex);
  UrlBase base{m_last_api_base, m_options.web_url};
  json repos = json::array();
  for (const auto& repo : m_repos) {
    json issues = json::array();
    for (const auto& issue : repo.issues) {
      json rendered = render_issue(issue, repo, base);
      json comments = json::array();
      for (const auto& comment : repo.comments) {
        if (comment.issue_number == issue.number) {
          comments.push_back(render_comment(comment, repo, base));
        }
      }
      rendered["comment_list"] = std::move(comments);
      issues.push_back(std::move(rendered));
    }
    json labels = json::array();
    for (const auto& label : repo.labels) {
      labels.push_back(render_label(label, repo, base));
    }
    repos.push_back(json{{"full_name", repo.full_name},
                         {"id", repo.id},
                         {"issues_enabled", repo.issues_enabled},
                         {"issues", std::move(issues)},
                         {"labels", std::move(labels)}});
  }
  json faults = json::array();
  for (const auto& rule : m_faults) {
    faults.push_back(to_json(rule));
  }
  json requests = json::array();
  for (const auto& request : m_requests) {
    requests.push_back(json{{"method", request.method},
                            {"path", request.path},
                            {"query", request.query},
                            {"operation", request.operation},
                            {"status", request.status},
                            {"fault", request.fault}});
  }
  return json{{"now", github::format_iso8601(m_clock.now())},
              {"repos", std::move(repos)},
              {"rate_limit", json{{"limit", m_options.rate_limit}, {"remaining", m_rate_remaining}}},
              {"faults", std::move(faults)},
              {"requests", std::move(requests)}};
}

}  // namespace pw::test
