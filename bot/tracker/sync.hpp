#pragma once

#include <bot/config/config.hpp>
#include <bot/diagnose/hint.hpp>
#include <bot/probe/probe_all.hpp>
#include <bot/reconcile/reconcile.hpp>
#include <bot/render/issue_writer.hpp>
#include <bot/tracker/tracker.hpp>

#include <map>
#include <string>
#include <vector>

namespace pw {

// Everything one sync of one tracker needs.
struct SyncRequest {
  std::vector<const Check*> checks;                    // the checks whose issues live on this tracker
  const std::map<std::string, CheckResult>* results = nullptr;  // by check id
  const std::map<std::string, std::vector<Hint>>* hints = nullptr;  // by check id; may be null
  const IssuePolicy* issues = nullptr;
  ReconcilePolicy policy;
  bool dry_run = false;
  // Decides whether an incident's check belongs to this sync (shards); all when empty.
  std::function<bool(const std::string& check_id)> in_scope;
};

struct SyncResult {
  std::vector<AppliedAction> actions;  // done, or planned in a dry run
  std::vector<std::string> errors;     // work left undone, one line each
  std::map<std::string, int> incidents;  // open incident per failing check after the sync
  bool listed = false;                 // the open incidents could be read
};

// Reads the open incidents and the dashboard from `tracker`, reconciles them with the results and
// applies the plan (unless dry_run). Never throws; every tracker failure becomes an error line.
SyncResult sync_incidents(Tracker& tracker, const IssueWriter& writer, const SyncRequest& request, Clock& clock);

}  // namespace pw
