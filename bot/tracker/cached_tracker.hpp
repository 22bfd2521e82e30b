#pragma once

#include <bot/tracker/tracker.hpp>

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace pw {

// A tracker that remembers the open list between the syncs of one long process (`watch`), so a
// sync where nothing changed sends no request. It keeps the list current from its own writes'
// answers and lists again when `relist` has passed since the last list (to notice people's edits,
// closes and mutes), after a create (so the duplicate recheck sees other writers), and after any
// failed request (the remembered list may be wrong). Everything else goes to the inner tracker.
class CachedTracker final : public Tracker {
 public:
  CachedTracker(std::unique_ptr<Tracker> inner, Clock& clock, std::chrono::milliseconds relist)
      : m_inner(std::move(inner)), m_clock(clock), m_relist(relist) {}

  TrackerResult<std::vector<github::Issue>> list_open(const std::string& label) override;
  TrackerResult<std::vector<github::Issue>> list_recently_closed(const std::string& label) override;
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
    return m_inner->pulls_for_commit(sha);
  }
  std::size_t requests() const override { return m_inner->requests(); }
  std::string where() const override { return m_inner->where(); }

  // Forgets the remembered list: the next list_open asks the inner tracker.
  void invalidate() { m_list.reset(); }
  // True when the next list_open will be answered from memory.
  bool remembers(const std::string& label) const;

 private:
  // Keeps `issue` in the remembered list when it is open and labeled, drops it otherwise.
  void remember(const github::Issue& issue);
  template <class T>
  TrackerResult<T> checked(TrackerResult<T> result) {
    if (!result) {
      invalidate();
    }
    return result;
  }

  std::unique_ptr<Tracker> m_inner;
  Clock& m_clock;
  std::chrono::milliseconds m_relist;
  std::string m_label;
  std::optional<std::vector<github::Issue>> m_list;
  TimePoint m_listed_at{};
  std::optional<std::string> m_login;
  std::set<std::string> m_labels_made;  // lower-case names ensure_label succeeded for
};

}  // namespace pw
