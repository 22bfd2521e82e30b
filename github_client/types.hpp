#pragma once

#include <github_client/clock.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace github {

// An issue as the client reads it. Timestamps are GitHub's ISO 8601 strings, empty when null.
struct Issue {
  int number = 0;
  std::string title;
  std::string body;
  std::string state;                   // "open" or "closed"
  std::string state_reason;            // "completed", "not_planned", "duplicate", "reopened" or empty
  std::vector<std::string> labels;     // names
  std::vector<std::string> assignees;  // logins
  std::string type;                    // the issue type's name; empty when it has none
  std::string html_url;
  std::string user;  // author login
  std::string created_at;
  std::string updated_at;
  std::string closed_at;
  bool pull_request = false;  // GET /issues/N answers for pull requests too

  friend bool operator==(const Issue&, const Issue&) = default;
};

struct Comment {
  std::int64_t id = 0;
  std::string body;
  std::string html_url;
  std::string user;  // author login
  std::string created_at;

  friend bool operator==(const Comment&, const Comment&) = default;
};

struct Label {
  std::string name;
  std::string color;  // six hex digits, no '#'
  std::string description;

  friend bool operator==(const Label&, const Label&) = default;
};

// A pull request as GET /repos/{owner}/{repo}/commits/{sha}/pulls lists it.
struct PullRequest {
  int number = 0;
  std::string title;
  std::string state;  // "open" or "closed"
  std::string html_url;
  std::string merged_at;  // empty when not merged

  friend bool operator==(const PullRequest&, const PullRequest&) = default;
};

// Everything an issue is created with, sent in one request. Empty fields are left out.
struct NewIssue {
  std::string title;
  std::string body;
  std::vector<std::string> labels;
  std::vector<std::string> assignees;
  std::optional<int> milestone;
  std::optional<std::string> type;  // the name of one of the organization's issue types
};

// The fields to change; unset fields are left as they are. Sent in one request.
struct IssueUpdate {
  std::optional<std::string> title;
  std::optional<std::string> body;
  std::optional<std::string> state;         // "open" or "closed"
  std::optional<std::string> state_reason;  // "completed", "not_planned", "duplicate", "reopened"
};

// Filters of GET /repos/{owner}/{repo}/issues. Empty strings are left out of the query.
struct ListIssuesQuery {
  std::vector<std::string> labels;  // an issue must carry every one of them
  std::string state = "open";       // "open", "closed" or "all"
  std::optional<TimePoint> since;   // updated at or after
  std::string creator;
  std::string sort;           // "created", "updated" or "comments"
  std::string direction;      // "asc" or "desc"
  std::size_t max_pages = 0;  // stop after this many pages of 100; 0 reads them all
};

// The first page of a list, and whether more follow.
struct IssuePage {
  std::vector<Issue> issues;   // pull requests skipped
  std::size_t items = 0;       // what the page held, pull requests included
  bool more = false;           // the Link header names a next page
  std::string oldest_updated;  // the least updated_at on the page, pull requests included; empty when empty
};

}  // namespace github
