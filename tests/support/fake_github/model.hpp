#pragma once

#include <github_client/clock.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace pw::test {

// An issue (or pull request) to seed, as a person would have filed it.
struct SeedIssue {
  std::string title;
  std::string body;
  std::vector<std::string> labels;  // created on the repository when missing
  std::vector<std::string> assignees;
  std::string author = "octocat";
  std::string state = "open";
  std::string state_reason;                     // empty: "completed" when closed, else null
  std::optional<github::TimePoint> created_at;  // default: the fake's now
  std::optional<github::TimePoint> updated_at;  // default: created_at
  std::optional<github::TimePoint> closed_at;   // default: updated_at when closed
};

struct FakeLabel {
  std::int64_t id = 0;
  std::string name;
  std::string color = "ededed";
  std::string description;
};

struct FakeComment {
  std::int64_t id = 0;
  int issue_number = 0;
  std::string body;
  std::string author;
  github::TimePoint created_at;
  github::TimePoint updated_at;
};

struct FakeIssue {
  int number = 0;
  std::int64_t id = 0;
  std::string title;
  std::optional<std::string> body;  // null when created without one
  std::string state = "open";
  std::string state_reason;  // empty is null
  std::vector<std::string> labels;
  std::vector<std::string> assignees;
  std::optional<int> milestone;
  std::string type;  // the issue type's name; empty is none
  std::string author;
  github::TimePoint created_at;
  github::TimePoint updated_at;
  std::optional<github::TimePoint> closed_at;
  bool pull_request = false;
  int comments = 0;
  std::string transferred_to;                  // "owner/name" once transferred: requests for it answer 301
  bool deleted = false;                        // deleted by a person: GET answers 410, everything else 404
  std::optional<github::TimePoint> merged_at;  // pull requests: when merged
};

// A commit and the pull requests GitHub associates with it (GET /repos/{o}/{r}/commits/{sha}/pulls).
struct FakeCommit {
  std::string sha;         // 40 lower-case hex digits
  std::vector<int> pulls;  // pull request numbers, in the order GitHub lists them
};

struct FakeRepo {
  std::int64_t id = 0;
  std::string full_name;  // "owner/name" as created
  bool issues_enabled = true;
  bool labels_allowed = true;            // false: creates drop labels, assignees, milestone and type (no push access)
  std::vector<std::string> assignable;   // logins that may be assigned; empty: anyone
  std::vector<std::string> issue_types;  // the organization's issue types; empty: none (any type is invalid)
  std::vector<FakeIssue> issues;         // issues and pull requests, by number
  std::vector<FakeComment> comments;
  std::vector<FakeLabel> labels;
  std::vector<int> milestones;
  std::vector<FakeCommit> commits;
};

// One request as the fake saw it, for asserting what the client did.
struct LoggedRequest {
  std::string method;
  std::string path;       // without the API prefix and the query, e.g. "/repos/o/r/issues"
  std::string query;      // raw, without '?'
  std::string operation;  // "list_issues", "create_issue", ... or "unknown"
  int status = 0;         // 0 when the connection was dropped
  std::string fault;      // the injected fault's name, empty when none
  std::string body;
};

}  // namespace pw::test
