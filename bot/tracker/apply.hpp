#pragma once

#include <bot/tracker/sync.hpp>

#include <map>

namespace pw {

// Carries a plan out on a tracker, one write at a time, then re-checks for duplicates after any
// create and writes the dashboard last, so it records what actually happened. Internal to sync.
class PlanApplier {
 public:
  PlanApplier(Tracker& tracker, const IssueWriter& writer, const SyncRequest& request,
              std::map<int, github::Issue> issues, const std::map<std::string, std::vector<Hint>>& hints, TimePoint now)
      : m_tracker(tracker),
        m_writer(writer),
        m_request(request),
        m_issues(std::move(issues)),
        m_hints(hints),
        m_now(now) {}

  // Applies `plan` (or only describes it in a dry run), adding actions and errors to `result`.
  void apply(Plan& plan, SyncResult& result);

 private:
  void run_action(const Action& action, Plan& plan, SyncResult& result);
  void create(const Action& action, Plan& plan, SyncResult& result);
  void reopen(const Action& action, Plan& plan, SyncResult& result);
  void close(const Action& action, SyncResult& result);
  void update(const Action& action, SyncResult& result);
  void recheck_duplicates(Plan& plan, SyncResult& result);
  void write_dashboard(Plan& plan, SyncResult& result);
  std::optional<IncidentFacts> facts_for(const Action& action) const;
  void record(SyncResult& result, ActionKind kind, const std::string& check, int issue, std::string detail,
              std::string title = "");
  void failed(SyncResult& result, const std::string& what, const github::Error& error);

  Tracker& m_tracker;
  const IssueWriter& m_writer;
  const SyncRequest& m_request;
  std::map<int, github::Issue> m_issues;  // open managed issues by number, kept current
  const std::map<std::string, std::vector<Hint>>& m_hints;
  TimePoint m_now;
  bool m_created = false;
  std::map<std::string, const Check*> m_checks;
};

}  // namespace pw
