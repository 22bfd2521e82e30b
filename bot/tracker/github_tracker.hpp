#pragma once

#include <bot/tracker/tracker.hpp>

#include <github_client/client.hpp>

#include <string>

namespace pw {

// Incidents as issues of one GitHub repository, through github_client.
class GitHubTracker final : public Tracker {
 public:
  GitHubTracker(github::Client& client, std::string repo) : m_client(client), m_repo(std::move(repo)) {}

  TrackerResult<std::vector<github::Issue>> list_open(const std::string& label) override;
  TrackerResult<std::vector<github::Issue>> list_recently_closed(const std::string& label) override;
  TrackerResult<std::optional<github::IssuePage>> recently_updated(const std::string& label) override;
  TrackerResult<github::Issue> get(int number) override;
  TrackerResult<github::Issue> create(const github::NewIssue& issue) override;
  TrackerResult<github::Issue> update(int number, const github::IssueUpdate& update) override;
  TrackerResult<github::Comment> comment(int number, const std::string& body) override;
  TrackerResult<std::vector<github::Comment>> comments(int number, std::optional<TimePoint> since = {}) override;
  TrackerResult<void> delete_comment(int number, std::int64_t id) override;
  TrackerResult<std::vector<github::Label>> add_labels(int number, const std::vector<std::string>& labels) override;
  TrackerResult<github::Label> ensure_label(const github::Label& label) override;
  TrackerResult<std::string> whoami() override;
  TrackerResult<std::vector<github::PullRequest>> pulls_for_commit(const std::string& sha) override {
    return m_client.list_pulls_for_commit(m_repo, sha);
  }
  std::size_t requests() const override { return m_client.requests(); }
  std::string where() const override { return m_repo + " on GitHub"; }

 private:
  github::Client& m_client;
  std::string m_repo;
};

}  // namespace pw
