#pragma once

#include <bot/config/config.hpp>
#include <bot/diagnose/hint.hpp>
#include <bot/model/check_result.hpp>
#include <bot/reconcile/reconcile.hpp>
#include <bot/render/issue_writer.hpp>
#include <bot/tracker/tracker.hpp>

#include <functional>
#include <map>
#include <string>
#include <vector>

namespace pw {

// Everything one sync of one tracker needs.
struct SyncRequest {
  std::vector<const Check*> checks;                             // the checks whose issues live on this tracker
  const std::map<std::string, CheckResult>* results = nullptr;  // by check id
  // Names likely causes for a failing check, given what the dashboard remembers of it (may be null).
  std::function<std::vector<Hint>(const Check&, const CheckResult&, const CheckMemory*)> diagnose;
  const IssuePolicy* issues = nullptr;
  ReconcilePolicy policy;
  bool dry_run = false;
  // Decides whether an incident's check belongs to this sync (shards); all when empty.
  std::function<bool(const std::string& check_id)> in_scope;
};

struct SyncResult {
  std::vector<AppliedAction> actions;                // done, or planned in a dry run
  std::vector<std::string> errors;                   // work left undone, one line each
  std::map<std::string, int> incidents;              // open incident per failing check after the sync
  std::map<std::string, std::string> incident_urls;  // their web addresses, as the tracker gave them
  std::map<std::string, std::vector<Hint>> hints;    // likely causes by failing check
  bool listed = false;                               // the open incidents could be read
};

// Reads the open incidents and the dashboard from `tracker`, reconciles them with the results and
// applies the plan (unless dry_run). Never throws; every tracker failure becomes an error line.
SyncResult sync_incidents(Tracker& tracker, const IssueWriter& writer, const SyncRequest& request, Clock& clock);

}  // namespace pw
