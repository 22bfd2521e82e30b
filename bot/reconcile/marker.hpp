#pragma once

#include <bot/core/clock.hpp>
#include <bot/core/time_span.hpp>
#include <bot/model/deploy.hpp>
#include <bot/model/fingerprint.hpp>
#include <bot/reconcile/response_history.hpp>

#include <chrono>
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace pw {

// What an incident issue remembers about its check, kept in the issue's hidden marker.
struct IncidentState {
  std::string check;         // the check id: the incident's identity within its config
  std::string config;        // the config instance that owns it; empty on markers older than owners
  TimePoint first_seen{};    // first failing run of this outage
  TimePoint last_seen{};     // the failing run that last wrote this marker (body refreshes are throttled)
  int runs_failed = 0;       // failing runs recorded in the marker (each write counts one)
  std::string signature;     // the kind of failure as the body shows it, e.g. "status:404" or "timeout"
  std::string reported;      // the kind of failure as last told in a comment (open, changed, reminder)
  std::string reason;        // the failure in one line as of last_seen, secrets already redacted
  TimePoint last_comment{};  // last comment the bot made, for reminders and the change throttle
  int passes = 0;            // passing runs in a row while open (for success_threshold)
  std::string scope;         // the shard ("2/10") or empty

  bool operator==(const IncidentState&) const = default;
};

// What the dashboard remembers about one check between runs.
struct CheckMemory {
  enum class Status { passing, pending, failing, muted };
  Status status = Status::passing;
  TimePoint since{};  // when the check entered `status`
  int streak = 0;     // failing runs in a row below failure_threshold (pending)
  int incident = 0;   // the open incident's number, 0 when none
  int closed = 0;     // the incident the bot closed last (for reopen_window), 0 when none
  TimePoint closed_at{};
  int muted_by = 0;  // the incident a person closed as not planned, 0 when not muted

  // True when there is nothing to remember: a passing check with no history kept. Such checks
  // are left out of the marker, so ten thousand healthy checks cost nothing.
  bool trivial() const {
    return status == Status::passing && streak == 0 && incident == 0 && closed == 0 && muted_by == 0;
  }
  bool operator==(const CheckMemory&) const = default;
};

// An incident the bot closed, as the dashboard keeps it for uptime and the incident history.
struct PastIncident {
  std::string check;
  int number = 0;
  TimePoint first_seen{};
  TimePoint closed{};
  std::string reason;  // the last failure, one line, secrets already redacted
  bool operator==(const PastIncident&) const = default;
};

// How many closed incidents the dashboard keeps, and for how long (uptime looks back 90 days).
inline constexpr std::size_t k_history_limit = 100;
inline constexpr auto k_history_days = std::chrono::hours(24 * 90);

// An open incident as the last complete listing saw it (after that run's own writes), so a quiet
// run that reads only the first page of recently updated issues knows the rest (bot/incidents/listing).
struct ListedIssue {
  int number = 0;
  TimePoint updated{};  // the issue's updated_at then
  std::string author;   // who wrote it (trusted then)
  IncidentState incident;
  bool operator==(const ListedIssue&) const = default;
};

struct Listing {
  TimePoint as_of{};                // the latest updated_at of the incidents listed or written then
  std::vector<ListedIssue> issues;  // by number
  // The open maintenance issues that paused checks then: their bodies are not remembered, so one
  // off the page sends the run to list in full.
  std::vector<int> maintenance;
  bool operator==(const Listing&) const = default;
};

struct DashboardState {
  std::string config;                         // the config instance that owns it; empty on markers older than owners
  std::string scope;                          // the shard ("2/10") or empty
  TimePoint since{};                          // the first run it remembers: uptime before it is unknown
  std::map<std::string, CheckMemory> checks;  // only checks with something to remember
  std::map<std::string, HealthyFingerprint> hosts;  // by host name
  // Honest scheduling (config `schedule:`): the last recorded run, and the monitoring gaps (time
  // nothing was probed because runs came late), oldest first, bounded (bot/reconcile/run_history).
  TimePoint last_run{};
  TimeSpans gaps;
  // Content-creating requests (new issues, comments) of recent runs, for the hourly write budget;
  // entries older than an hour are dropped when the next run that writes records its own.
  std::vector<std::pair<TimePoint, int>> writes;
  std::vector<PastIncident> history;  // closed incidents, oldest first
  // The latest deployment a deployment_status run saw roll out (remembered_deploy: commit, ref,
  // environment and start only), so later runs keep its grace and name it in recovery notes.
  std::optional<Deployment> deploy;
  ResponseHistory response;  // hourly response times of the charted checks
  // The open incidents as of the last complete listing; kept only where the label holds more
  // issues than one page of the API.
  std::optional<Listing> listing;
  bool operator==(const DashboardState&) const = default;
};

using Marker = std::variant<IncidentState, DashboardState>;

const char* to_string(CheckMemory::Status status);

// Finds the probewatch marker in an issue body ("<!-- probewatch:v1 {...} -->") and decodes it.
// Returns nullopt when there is no marker, or it is malformed, or of an unknown version: such an
// issue is never touched.
std::optional<Marker> parse_marker(std::string_view body);

// Formats the marker comment for an incident or the dashboard (one line, compact JSON).
std::string format_marker(const IncidentState& state);
std::string format_marker(const DashboardState& state);

}  // namespace pw
