#pragma once

#include <github_client/clock.hpp>
#include <github_client/transport.hpp>
#include <support/fake_github/faults.hpp>
#include <support/fake_github/fake_json.hpp>
#include <support/fake_github/manual_clock.hpp>
#include <support/fake_github/model.hpp>

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pw::test {

struct FakeGitHubOptions {
  std::string api_prefix;  // e.g. "/api/v3"; requests must start with it
  std::string web_url = "https://github.com";
  std::string default_login = "github-actions[bot]";  // who any token acts as, unless add_token says otherwise
  std::int64_t rate_limit = 5000;
};

// What the fake does with one request: answer, or drop the connection.
enum class Drop { none, reset, timeout, refuse };

struct Served {
  github::HttpResponse response;  // status 0 when dropped before anything was produced
  Drop drop = Drop::none;
  std::chrono::milliseconds delay{0};  // for Drop::timeout: how long a real server holds on
  bool applied = false;                // the request changed state (or would have, had it been a write)
};

// An in-process GitHub with the REST semantics the client uses, scriptable faults and a request
// log. Thread-safe. Time comes from the given clock, or an internal ManualClock.
class FakeGitHub {
 public:
  explicit FakeGitHub(FakeGitHubOptions options = {});
  explicit FakeGitHub(github::Clock& clock, FakeGitHubOptions options = {});
  FakeGitHub(const FakeGitHub&) = delete;
  FakeGitHub& operator=(const FakeGitHub&) = delete;

  // --- seeding ---
  // Creates a repository "owner/name" with issues enabled; returns its id (1000, 1001, ...).
  std::int64_t add_repo(std::string_view full_name);
  // Makes issue requests on the repository answer 410 (or work again).
  void set_issues_enabled(std::string_view repo, bool enabled);
  // Makes issue creates keep (or silently drop) their labels, as GitHub does for tokens that may
  // not set labels.
  void set_labels_allowed(std::string_view repo, bool allowed);
  // Lets only these logins be assigned (others answer 422, as GitHub does for users who cannot be
  // assigned); empty lets anyone.
  void set_assignable(std::string_view repo, std::vector<std::string> logins);
  // The organization's issue types; a create naming another type answers 422.
  void set_issue_types(std::string_view repo, std::vector<std::string> types);
  // Transfers issue `number` to `to_repo` as GitHub does: it leaves the lists, and requests for
  // its old number answer 301 Moved Permanently.
  void transfer_issue(std::string_view repo, int number, std::string_view to_repo);
  // Deletes issue `number` as a person does in the web UI (or GraphQL's deleteIssue; REST has no
  // endpoint for it): it leaves the lists, GET answers 410 "This issue was deleted", and writes to
  // it (and its comments) answer 404. issue() and issues() still return it, with `deleted` set.
  void delete_issue(std::string_view repo, int number);
  // Accepts only registered tokens from now on; `login` becomes the author of what the token creates.
  void add_token(std::string token, std::string login);
  // Adds a label to the repository (no-op when it exists).
  void add_label(std::string_view repo, std::string name, std::string color = "ededed", std::string description = "");
  // Lets issues be created with milestone `number`.
  void add_milestone(std::string_view repo, int number);
  // Files an issue as a person would; returns its number.
  int add_issue(std::string_view repo, const SeedIssue& issue);
  // Opens a pull request (it shares the issue numbers and shows up in issue lists); returns its number.
  int add_pull_request(std::string_view repo, const SeedIssue& pull_request);
  // Records commit `sha` (40 hex digits) as coming from the pull requests `pulls` (seeded with
  // add_pull_request); with `merged`, those are marked merged (and closed) now.
  void add_commit(std::string_view repo, std::string sha, std::vector<int> pulls, bool merged = true);
  // Comments on an issue; returns the comment id.
  std::int64_t add_comment(std::string_view repo, int number, std::string body, std::string author = "octocat",
                           std::optional<github::TimePoint> at = std::nullopt);
  // Sets the primary rate limit: `remaining` requests until `reset` (default: an hour from now).
  void set_rate_limit(std::int64_t remaining, std::optional<github::TimePoint> reset = std::nullopt);
  // Forgets every repository, token, fault and logged request.
  void reset();

  // --- faults ---
  // Adds a rule; rules are checked in order and the first that fires wins.
  void inject(FaultRule rule);
  // Removes every rule.
  void clear_faults();
  // Returns the rules with their matched/fired counts.
  std::vector<FaultRule> faults() const;

  // --- inspection ---
  // Returns issue (or pull request) `number`, nullopt when there is none.
  std::optional<FakeIssue> issue(std::string_view repo, int number) const;
  // Returns the issues (pull requests left out) by number, transferred and deleted ones included.
  std::vector<FakeIssue> issues(std::string_view repo) const;
  // Returns the comments of issue `number`, oldest first.
  std::vector<FakeComment> comments(std::string_view repo, int number) const;
  // Returns the repository's labels in creation order.
  std::vector<FakeLabel> labels(std::string_view repo) const;
  // Returns every request served, in order, faults included.
  std::vector<LoggedRequest> requests() const;
  // Counts logged requests with this method (empty: any) whose path contains `path` (or whose operation is it).
  std::size_t count_requests(std::string_view method, std::string_view path_or_operation = "") const;
  // Empties the request log.
  void clear_requests();
  // Returns the requests left before the primary rate limit refuses.
  std::int64_t rate_limit_remaining() const;
  // Returns the whole state as JSON: repositories with issues, comments and labels, faults, requests.
  nlohmann::json dump() const;
  // Returns the fake's current time.
  github::TimePoint now() const;
  // Returns the path prefix requests must carry ("" or e.g. "/api/v3").
  const std::string& api_prefix() const { return m_options.api_prefix; }
  // The internal clock, or nullptr when a clock was given.
  ManualClock* manual_clock();

  // --- serving ---
  // Answers one request, applying faults; FakeTransport and FakeGitHubServer turn drops into failures.
  Served serve(const github::HttpRequest& request);
  // Answers one request; a dropped connection comes back as status 0 with an empty body.
  github::HttpResponse handle(const github::HttpRequest& request);

 private:
  struct Route;
  struct Context;
  FakeRepo* find_repo(std::string_view full_name);
  const FakeRepo* find_repo(std::string_view full_name) const;
  FakeRepo* find_repo_by_id(std::int64_t id);
  FakeRepo& require_repo(std::string_view full_name);
  FakeIssue* find_issue(FakeRepo& repo, int number);
  void ensure_label(FakeRepo& repo, std::string_view name);
  int next_number(const FakeRepo& repo) const;
  int seed(std::string_view repo, const SeedIssue& issue, bool pull_request);
  std::string canonical_label(const FakeRepo& repo, std::string_view name) const;
  FaultRule* fire_fault(std::string_view method, std::string_view path, std::string_view query,
                        std::string_view operation);
  github::HttpResponse dispatch(const Route& route, const Context& context, const github::HttpRequest& request);
  void add_rate_limit_headers(github::HttpResponse& response);

  // Endpoints (fake_github_routes.cpp).
  github::HttpResponse list_issues(FakeRepo& repo, const Context& context);
  github::HttpResponse get_issue(FakeRepo& repo, int number, const Context& context);
  github::HttpResponse create_issue(FakeRepo& repo, const Context& context, const std::string& body);
  github::HttpResponse update_issue(FakeRepo& repo, int number, const Context& context, const std::string& body);
  github::HttpResponse list_comments(FakeRepo& repo, int number, const Context& context);
  github::HttpResponse create_comment(FakeRepo& repo, int number, const Context& context, const std::string& body);
  github::HttpResponse delete_comment(FakeRepo& repo, std::int64_t id);
  github::HttpResponse list_labels(FakeRepo& repo, const Context& context);
  github::HttpResponse create_label(FakeRepo& repo, const Context& context, const std::string& body);
  github::HttpResponse add_labels(FakeRepo& repo, int number, const Context& context, const std::string& body);
  github::HttpResponse list_pulls_for_commit(FakeRepo& repo, const std::string& sha, const Context& context);

  FakeGitHubOptions m_options;
  std::unique_ptr<ManualClock> m_own_clock;
  github::Clock& m_clock;
  mutable std::mutex m_mutex;
  std::vector<FakeRepo> m_repos;
  std::map<std::string, std::string> m_tokens;  // token -> login
  std::vector<FaultRule> m_faults;
  std::vector<LoggedRequest> m_requests;
  std::int64_t m_next_repo_id = 1000;
  std::int64_t m_next_issue_id = 500000;
  std::int64_t m_next_comment_id = 900000;
  std::int64_t m_next_label_id = 2000;
  std::int64_t m_rate_remaining;
  std::optional<github::TimePoint> m_rate_reset;
  std::string m_last_api_base = "https://api.github.com";
};

}  // namespace pw::test
