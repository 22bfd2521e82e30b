#pragma once

#include <bot/core/clock.hpp>
#include <bot/tracker/tracker.hpp>

#include <string>

namespace pw {

// Issues kept in a JSON file (default .probewatch/issues.json) with GitHub's semantics: numbers,
// labels, state and state_reason, comments. Each call reads and rewrites the file under a lock,
// so two runs never lose each other's writes.
class LocalTracker final : public Tracker {
 public:
  LocalTracker(std::string path, Clock& clock) : m_path(std::move(path)), m_clock(clock) {}

  TrackerResult<std::vector<github::Issue>> list_open(const std::string& label) override;
  TrackerResult<std::vector<github::Issue>> list_recently_closed(const std::string& label) override;
  TrackerResult<github::Issue> get(int number) override;
  TrackerResult<github::Issue> create(const github::NewIssue& issue) override;
  TrackerResult<github::Issue> update(int number, const github::IssueUpdate& update) override;
  TrackerResult<github::Comment> comment(int number, const std::string& body) override;
  TrackerResult<std::vector<github::Comment>> comments(int number, std::optional<TimePoint> since = {}) override;
  TrackerResult<void> delete_comment(int number, std::int64_t id) override;
  TrackerResult<std::vector<github::Label>> add_labels(int number, const std::vector<std::string>& labels) override;
  // Labels need no creating in the file: returns `label`.
  TrackerResult<github::Label> ensure_label(const github::Label& label) override { return label; }
  // The file's issues are written as "probewatch".
  TrackerResult<std::string> whoami() override { return std::string(k_author); }
  std::size_t requests() const override { return m_requests; }
  std::string where() const override { return "local file " + m_path; }

  static constexpr const char* k_author = "probewatch";

 private:
  std::string m_path;
  Clock& m_clock;
  std::size_t m_requests = 0;
};

}  // namespace pw
