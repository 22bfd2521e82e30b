#pragma once

#include <bot/core/duration.hpp>
#include <bot/core/redactor.hpp>
#include <bot/core/time_zone.hpp>
#include <bot/model/check.hpp>
#include <bot/model/maintenance.hpp>
#include <bot/model/vantage.hpp>

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace pw {

// The `issues:` block: how incidents are filed and kept.
struct IssuePolicy {
  std::vector<std::string> labels{"probewatch"};  // the first marks managed issues
  std::vector<std::string> assignees;
  std::optional<int> milestone;
  int failure_threshold = 1;
  int success_threshold = 1;
  Millis reminder{Millis(24LL * 3600 * 1000)};
  Millis reopen_window{Millis(6LL * 3600 * 1000)};
  Millis refresh{Millis(6LL * 3600 * 1000)};
  Millis change_throttle{Millis(3600LL * 1000)};
  int write_budget = 80;
  int hourly_write_budget = 500;
  std::vector<std::string> trusted_authors{"github-actions[bot]"};
  bool dashboard = true;
  std::optional<std::string> templates;           // folder of template overrides
  std::string maintenance_label = "maintenance";  // with the bot label, an open issue that pauses checks
  // Opens one "runs are late" incident when a run comes this much later than `schedule` says.
  std::optional<Millis> late_after;
  const std::string& bot_label() const { return labels.front(); }
};

// A file a setting names. Loading stays pure; the caller that may touch files checks these.
struct FileReference {
  std::string key;  // "ca_file"
  std::string path;
  SourceLocation location;
  std::string hint;  // what to do when it is missing
};

struct Config {
  std::string path;
  std::optional<std::string> id;  // the config instance's identity; derived from the path when unset
  int concurrency = 16;
  std::optional<std::string> control;             // URL whose failure means the runner's network is down
  std::optional<Millis> schedule;                 // expected interval between runs: late runs record monitoring gaps
  std::string rdap_server = "https://rdap.org/";  // where domain_warning asks for registrations
  IssuePolicy issues;
  std::vector<Check> checks;
  std::vector<MaintenanceWindow> maintenance;
  std::vector<VantageDeclaration> vantages;  // the vantage points whose reports run --reports expects
  // The time zones the maintenance windows name, by name; filled by the caller that may read
  // files (load_time_zones), UTC needs none.
  std::map<std::string, TimeZone> time_zones;
  Redactor secrets;                  // every value substituted from the environment
  std::vector<FileReference> files;  // every file a setting names, once per place in the file
};

}  // namespace pw
