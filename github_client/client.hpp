#pragma once

#include <github_client/clock.hpp>
#include <github_client/error.hpp>
#include <github_client/executor.hpp>
#include <github_client/retry_policy.hpp>
#include <github_client/transport.hpp>
#include <github_client/types.hpp>
#include <github_client/url.hpp>

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace github {

// Returns "probewatch/<version>", the User-Agent sent by default.
std::string default_user_agent();

struct ClientOptions {
  std::string api_url = std::string(k_default_api_url);  // may carry a path prefix such as /api/v3
  std::string token;                                     // sent only as "Authorization: Bearer"
  std::string user_agent = default_user_agent();
  std::chrono::milliseconds write_spacing{1000};  // GitHub asks for at least 1 s between writes; tests use 0
  std::chrono::milliseconds wait_budget{std::chrono::minutes{10}};  // rate-limit and retry waits per run
  RetryOptions retry;
  std::uint64_t jitter_seed = 0;  // 0 seeds from std::random_device
};

// The GitHub REST operations the bot needs. Repositories are "owner/name". Every operation
// fails with a typed Error; none throws. Safe to call from several threads (calls serialize).
class Client {
 public:
  Client(ClientOptions options, Transport& transport, Clock& clock);

  // Returns every issue matching `query`, following Link rel="next" over all pages; pull requests skipped.
  Result<std::vector<Issue>> list_issues(std::string_view repo, const ListIssuesQuery& query = {});

  // Returns the first page of list_issues (query.max_pages is ignored): one request, and whether
  // more pages follow.
  Result<IssuePage> list_issue_page(std::string_view repo, const ListIssuesQuery& query);

  // Returns issue `number`; fails with not_found when it does not exist.
  Result<Issue> get_issue(std::string_view repo, int number);

  // Creates an issue in one request. After a failure that may have been applied it looks for the
  // issue (same title and body among the newest) before retrying, so it never creates two.
  Result<Issue> create_issue(std::string_view repo, const NewIssue& issue);

  // Changes the fields that are set, in one request; returns the updated issue.
  Result<Issue> update_issue(std::string_view repo, int number, const IssueUpdate& update);

  // Comments on an issue; like create_issue it looks for the comment before retrying.
  Result<Comment> create_comment(std::string_view repo, int number, std::string_view body);

  // Deletes a comment; one that is already gone (404) counts as deleted.
  Result<void> delete_comment(std::string_view repo, std::int64_t comment_id);

  // Returns the comments of an issue, oldest first, optionally only those updated since `since`.
  Result<std::vector<Comment>> list_comments(std::string_view repo, int number,
                                             std::optional<TimePoint> since = std::nullopt);

  // Returns every label of the repository.
  Result<std::vector<Label>> list_labels(std::string_view repo);

  // Creates a label; a label that already exists counts as success. Returns the label as given.
  Result<Label> create_label(std::string_view repo, const Label& label);

  // Adds labels to an issue (never replacing the others); returns the issue's labels afterwards.
  Result<std::vector<Label>> add_labels(std::string_view repo, int number, const std::vector<std::string>& labels);

  // Returns the pull requests GitHub associates with commit `sha` (GET /repos/{owner}/{repo}/
  // commits/{sha}/pulls, one page: the merged one that brought it to the default branch, or the
  // open ones that contain it). Fails with invalid_argument for a `sha` that is not 7 to 64 hex digits.
  Result<std::vector<PullRequest>> list_pulls_for_commit(std::string_view repo, std::string_view sha);

  // Returns the login the token acts as (GET /user). Fails with forbidden for GITHUB_TOKEN and
  // GitHub App installation tokens, which cannot read /user.
  Result<std::string> authenticated_login();

  // Returns the number of HTTP requests sent so far, retries and checks included.
  std::size_t requests() const;

  // Returns the x-ratelimit-remaining last seen, nullopt before any response carried it.
  std::optional<std::int64_t> rate_limit_remaining() const;

  // Returns the time spent waiting on rate limits and retries so far (write pacing excluded).
  std::chrono::milliseconds waited() const;

 private:
  Result<std::string> repo_url(std::string_view repo) const;
  // Reads the pages of a list, at most `max_pages` (0: all); `more`, when given, tells whether a
  // next page was left unread.
  Result<std::vector<nlohmann::json>> get_pages(std::string url, const std::string& context, std::size_t max_pages = 0,
                                                bool* more = nullptr);
  Result<IssuePage> read_issues(std::string_view repo, const ListIssuesQuery& query, std::size_t max_pages);
  Result<std::optional<HttpResponse>> find_created_issue(const std::string& base, std::string_view repo,
                                                         const NewIssue& issue);
  Result<std::optional<HttpResponse>> find_created_comment(const std::string& base, std::string_view repo, int number,
                                                           std::string_view body, TimePoint started);
  Error decode_error(const std::string& context, const std::string& detail) const;

  mutable std::mutex m_mutex;
  std::string m_api_url;
  std::optional<SplitUrl> m_api_origin;
  std::optional<Error> m_setup_error;
  Clock& m_clock;
  RequestExecutor m_executor;
};

}  // namespace github
