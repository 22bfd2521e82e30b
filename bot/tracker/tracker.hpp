#pragma once

#include <bot/core/clock.hpp>

#include <github_client/error.hpp>
#include <github_client/types.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace pw {

template <class T>
using TrackerResult = github::Result<T>;

// Where incidents live: GitHub issues of one repository, or a local JSON file with the same
// semantics. Every method fails with a typed github::Error; none throws.
// How many closed incidents list_recently_closed returns at most: one page of the API.
inline constexpr std::size_t k_recently_closed_limit = 100;

class Tracker {
 public:
  virtual ~Tracker() = default;
  // Returns every open issue carrying `label` (all pages, pull requests skipped).
  virtual TrackerResult<std::vector<github::Issue>> list_open(const std::string& label) = 0;
  // Returns the first page (100) of the issues carrying `label`, open and closed, most recently
  // updated first, in one request; nullopt when the tracker has no such page (sync lists instead).
  virtual TrackerResult<std::optional<github::IssuePage>> recently_updated(const std::string& label) {
    (void)label;
    return std::optional<github::IssuePage>{};
  }
  // Returns up to k_recently_closed_limit closed issues carrying `label`, most recently updated
  // first.
  virtual TrackerResult<std::vector<github::Issue>> list_recently_closed(const std::string& label) = 0;
  // Returns one issue, open or closed; fails with not_found when it does not exist.
  virtual TrackerResult<github::Issue> get(int number) = 0;
  // Creates an issue with everything in one request.
  virtual TrackerResult<github::Issue> create(const github::NewIssue& issue) = 0;
  // Changes the given fields in one request.
  virtual TrackerResult<github::Issue> update(int number, const github::IssueUpdate& update) = 0;
  // Adds a comment.
  virtual TrackerResult<github::Comment> comment(int number, const std::string& body) = 0;
  // Returns the comments of an issue, oldest first; with `since`, only those updated since then.
  virtual TrackerResult<std::vector<github::Comment>> comments(int number, std::optional<TimePoint> since = {}) = 0;
  // Deletes comment `id` of issue `number`; one that is already gone counts as deleted.
  virtual TrackerResult<void> delete_comment(int number, std::int64_t id) = 0;
  // Adds labels without removing any.
  virtual TrackerResult<std::vector<github::Label>> add_labels(int number, const std::vector<std::string>& labels) = 0;
  // Creates the label (with its colour) unless it exists; an existing label is success.
  virtual TrackerResult<github::Label> ensure_label(const github::Label& label) = 0;
  // Returns the login this tracker writes as; fails when it cannot be told (GITHUB_TOKEN cannot
  // read GET /user).
  virtual TrackerResult<std::string> whoami() = 0;
  // Returns the pull requests the commit `sha` came from, for recovery notes; a tracker that knows
  // no pull requests (the local file) returns none without a request.
  virtual TrackerResult<std::vector<github::PullRequest>> pulls_for_commit(const std::string& sha) {
    (void)sha;
    return std::vector<github::PullRequest>{};
  }
  // Returns how many requests (or file operations) were made so far.
  virtual std::size_t requests() const = 0;
  // Describes the tracker for people: "octo/app on GitHub" or "local file .probewatch/issues.json".
  virtual std::string where() const = 0;
};

}  // namespace pw
