#pragma once

#include <bot/core/clock.hpp>
#include <bot/tracker/tracker.hpp>

#include <nlohmann/json_fwd.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace pw {

struct LocalTrackerOptions {
  // No lock and never a write: for reading (`probewatch show`) while a run may hold the lock.
  bool read_only = false;
  // How long to wait for another run's lock before failing with who holds it.
  std::chrono::milliseconds lock_wait{30'000};
  // Fault injection for tests: called once the temporary file is written and synced; returning
  // false stops there, as a crash would (no rename, the temporary file left behind).
  std::function<bool(const std::string& temporary)> after_temporary_written;
};

// Issues kept in a JSON file (default .probewatch/issues.json) with GitHub's semantics: numbers,
// labels, state and state_reason, comments. A small database: the first call takes the lock
// ("<path>.lock", which names its holder) for the tracker's lifetime and reads and validates the
// file once; every change stays in memory until commit(), one atomic write (a temporary file,
// fsync, rename, fsync of the folder). A file without write permission is never replaced.
class LocalTracker final : public Tracker {
 public:
  LocalTracker(std::string path, Clock& clock, LocalTrackerOptions options = {});
  ~LocalTracker() override;
  LocalTracker(const LocalTracker&) = delete;
  LocalTracker& operator=(const LocalTracker&) = delete;

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

  // Writes the changes made since the file was read, in one atomic replace; nothing to do when
  // there were none. Fails (and leaves the file as it was) when the file cannot be written.
  TrackerResult<void> commit();

  static constexpr const char* k_author = "probewatch";
  static constexpr int k_schema_version = 1;

 private:
  // Takes the lock and reads the file, once; later calls return the first outcome.
  TrackerResult<void> open();
  // Counts a request, opens the file and returns issue `number` to change; fails when there is no
  // such issue or the file was opened read-only. The one way in for every write to an issue.
  TrackerResult<nlohmann::json*> writable_issue(int number);
  void release_lock();
  struct Data;  // the file's document, in the .cpp (JSON stays inside the adapter)

  std::string m_path;
  Clock& m_clock;
  LocalTrackerOptions m_options;
  std::size_t m_requests = 0;
  bool m_opened = false;
  std::optional<github::Error> m_open_error;
  int m_lock_fd = -1;
  std::unique_ptr<Data> m_data;
  bool m_dirty = false;
};

}  // namespace pw
