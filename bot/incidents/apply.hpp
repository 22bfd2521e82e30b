#pragma once

#include <bot/incidents/sync.hpp>
#include <bot/incidents/sync_state.hpp>

#include <map>
#include <optional>
#include <set>

namespace pw {

// Carries a plan out on a tracker, one write at a time, then re-checks for duplicates after any
// create and writes the dashboard last, so it records what actually happened. Internal to sync.
class PlanApplier {
 public:
  PlanApplier(Tracker& tracker, const IssueWriter& writer, const SyncRequest& request, Ownership owner,
              std::map<int, github::Issue> issues, const std::map<std::string, std::vector<Hint>>& hints, TimePoint now)
      : m_tracker(tracker),
        m_writer(writer),
        m_request(request),
        m_owner(std::move(owner)),
        m_issues(std::move(issues)),
        m_hints(hints),
        m_now(now) {}

  // What becomes of the dashboard's listing (bot/incidents/listing.hpp): kept as read (a run that
  // read one page), recorded from the issues as the run leaves them (after a complete listing of
  // a label that needs one; kept as read when something failed), or dropped (a label one page holds).
  enum class ListingUpdate { keep, record, drop };
  // `maintenance`: the open maintenance issues that paused checks, which a listing names.
  // `floor`: what dates the listing besides the incidents (listing_of).
  void set_listing_update(ListingUpdate update, std::vector<int> maintenance = {}, TimePoint floor = {}) {
    m_listing = update;
    m_maintenance = std::move(maintenance);
    m_listing_floor = floor;
  }

  // Gives the deploys live at recovery, by check, for the recovery notes.
  void set_live_deploys(std::map<std::string, LiveDeploy> deploys) { m_deploys = std::move(deploys); }

  // Applies `plan` (or only describes it in a dry run), adding actions and errors to `result`.
  void apply(Plan& plan, SyncResult& result);

 private:
  void run_action(const Action& action, Plan& plan, SyncResult& result);
  void create(const Action& action, Plan& plan, SyncResult& result);
  void reopen(const Action& action, Plan& plan, SyncResult& result);
  void close(const Action& action, SyncResult& result);
  void update(const Action& action, SyncResult& result);
  void recheck_duplicates(Plan& plan, SyncResult& result);
  // Posts `body` unless a comment carrying `tag` was posted since `since` (an earlier run was cut
  // off after commenting): every multi-request step can then be finished without a second comment.
  bool comment_once(int number, const std::string& body, const std::string& tag, std::optional<TimePoint> since,
                    const std::string& what, SyncResult& result);
  // Creates the labels about to be used that no listed issue carries, once per run, with a colour.
  void ensure_labels(const std::vector<std::string>& labels, SyncResult& result);
  // Reports labels GitHub dropped from a created issue: the token may not set labels.
  void check_labels_kept(const github::Issue& created, const std::vector<std::string>& wanted, SyncResult& result);
  // Creates an incident; when GitHub refuses an assignee or the issue type (422), warns and creates
  // it once more without them, so an outage is never left unfiled over who is told.
  TrackerResult<github::Issue> create_incident(github::NewIssue& issue, const Check& check, SyncResult& result);
  // Warns about assignees and the issue type GitHub silently dropped (a token without push access).
  void check_people_kept(const github::Issue& created, const github::NewIssue& wanted, const Check& check,
                         SyncResult& result);

  void write_dashboard(Plan& plan, SyncResult& result);
  // True when `body` is what `state` renders to but for this run's response-time samples.
  bool only_new_samples(const std::string& body, const DashboardState& state,
                        const std::vector<DashboardRow>& rows) const;
  std::optional<IncidentFacts> facts_for(const Action& action) const;
  void record(SyncResult& result, ActionKind kind, const std::string& check, int issue, std::string detail,
              std::string title = "");
  void failed(SyncResult& result, const std::string& what, const github::Error& error);

  Tracker& m_tracker;
  const IssueWriter& m_writer;
  const SyncRequest& m_request;
  Ownership m_owner;                      // whose markers count, with the login learned this run
  std::map<int, github::Issue> m_issues;  // open managed issues by number, kept current
  const std::map<std::string, std::vector<Hint>>& m_hints;
  TimePoint m_now;
  bool m_created = false;
  std::set<std::string> m_labels_ensured;  // lower-case
  std::map<std::string, const Check*> m_checks;
  std::map<std::string, LiveDeploy> m_deploys;  // by check: what was live when it recovered
  ListingUpdate m_listing = ListingUpdate::keep;
  std::vector<int> m_maintenance;
  TimePoint m_listing_floor{};
  // GitHub dropped the bot label from an issue this run created (a token that may not set labels):
  // the run opens nothing more, since every such issue would be lost and opened again next run.
  bool m_unfindable = false;
  std::vector<std::string> m_not_created;  // check ids, and "the dashboard"
};

}  // namespace pw
