#include <bot/tracker/github_tracker.hpp>

namespace pw {

namespace {

// The issues carrying `label` in `state`, ordered by `sort` in `direction`.
github::ListIssuesQuery labeled(const std::string& label, std::string state, std::string sort, std::string direction) {
  github::ListIssuesQuery query;
  query.labels = {label};
  query.state = std::move(state);
  query.sort = std::move(sort);
  query.direction = std::move(direction);
  return query;
}

}  // namespace

TrackerResult<std::vector<github::Issue>> GitHubTracker::list_open(const std::string& label) {
  // Oldest first: issues other runs create meanwhile land on later pages instead of shifting
  // the ones already read, so a long list read page by page misses nothing to a create.
  return m_client.list_issues(m_repo, labeled(label, "open", "created", "asc"));
}

TrackerResult<std::vector<github::Issue>> GitHubTracker::list_recently_closed(const std::string& label) {
  github::ListIssuesQuery query = labeled(label, "closed", "updated", "desc");
  query.max_pages = 1;
  auto issues = m_client.list_issues(m_repo, query);
  if (issues && issues->size() > k_recently_closed_limit) {
    issues->resize(k_recently_closed_limit);
  }
  return issues;
}

TrackerResult<std::optional<github::IssuePage>> GitHubTracker::recently_updated(const std::string& label) {
  auto page = m_client.list_issue_page(m_repo, labeled(label, "all", "updated", "desc"));
  if (!page) {
    return std::unexpected(std::move(page.error()));
  }
  return std::optional(std::move(*page));
}

TrackerResult<github::Issue> GitHubTracker::get(int number) { return m_client.get_issue(m_repo, number); }

TrackerResult<github::Issue> GitHubTracker::create(const github::NewIssue& issue) {
  return m_client.create_issue(m_repo, issue);
}

TrackerResult<github::Issue> GitHubTracker::update(int number, const github::IssueUpdate& update) {
  return m_client.update_issue(m_repo, number, update);
}

TrackerResult<github::Comment> GitHubTracker::comment(int number, const std::string& body) {
  return m_client.create_comment(m_repo, number, body);
}

TrackerResult<std::vector<github::Comment>> GitHubTracker::comments(int number, std::optional<TimePoint> since) {
  return m_client.list_comments(m_repo, number, since);
}

TrackerResult<void> GitHubTracker::delete_comment(int /*number*/, std::int64_t id) {
  return m_client.delete_comment(m_repo, id);
}

TrackerResult<github::Label> GitHubTracker::ensure_label(const github::Label& label) {
  return m_client.create_label(m_repo, label);
}

TrackerResult<std::string> GitHubTracker::whoami() { return m_client.authenticated_login(); }

TrackerResult<std::vector<github::Label>> GitHubTracker::add_labels(int number,
                                                                    const std::vector<std::string>& labels) {
  return m_client.add_labels(m_repo, number, labels);
}

}  // namespace pw
