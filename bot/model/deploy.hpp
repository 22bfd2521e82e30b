#pragma once

#include <bot/core/clock.hpp>
#include <bot/core/duration.hpp>
#include <bot/model/check.hpp>
#include <bot/model/check_result.hpp>
#include <bot/model/maintenance.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pw {

// A deployment as GitHub's deployment_status event tells of it (Railway, Vercel, Netlify and
// others post these statuses).
struct Deployment {
  std::int64_t id = 0;      // deployment.id
  std::string state;        // deployment_status.state: pending, queued, in_progress, success, failure, error, inactive
  std::string environment;  // deployment.environment ("production", "Preview")
  std::string environment_url;  // deployment_status.environment_url, else its target_url; "" when neither
  std::string log_url;          // deployment_status.log_url, "" when none
  std::string sha;              // deployment.sha: the commit deployed
  std::string ref;              // deployment.ref: the branch, tag or SHA it was made from
  TimePoint created_at{};       // deployment.created_at: when the rollout began
  TimePoint status_at{};        // deployment_status.created_at: when this status was posted
  bool operator==(const Deployment&) const = default;
};

// Returns true while the deployment may still be rolling out new code: pending, queued,
// in_progress, or success (a load balancer may still serve the old version for a while).
// failure, error and inactive mean nothing new is coming: failures are failures.
bool rolling_out(const Deployment& deployment);

// Returns the deployed commit shortened for people: its first 7 characters.
std::string short_sha(std::string_view sha);

// Returns true when `served` names the deployment: the full commit, a prefix of it of at least 7
// characters (a short SHA), or the ref ("v1.4.2"); letters compare without case.
bool version_matches(std::string_view served, const ExpectedDeploy& deploy);

// Returns when the grace of `deployment` ends for a check with `grace`: created_at + grace, or
// nullopt when it grants none (no grace configured, or not rolling out).
std::optional<TimePoint> grace_end(const Deployment& deployment, const std::optional<Millis>& grace);

// Returns the failing checks that are *deploying* at `now`: the deployment is rolling out and
// younger than the check's deploy_grace. Like maintenance, they open no incident and get no
// reminder; once the grace ends the failure counts as any other. `results` are by position.
Pauses deploying_checks(const std::vector<Check>& checks, const std::vector<CheckResult>& results,
                        const Deployment& deployment, TimePoint now);

// Returns what the dashboard remembers of a deployment: its commit, ref, environment and start
// (to the second), as a rolling-out "success"; the rest is left out to keep the marker small.
Deployment remembered_deploy(const Deployment& deployment);

// Returns the pause of one check if it is deploying at `now` (see deploying_checks).
std::optional<Pause> deploying_pause(const Check& check, const CheckResult& result, const Deployment& deployment,
                                     TimePoint now);

// Sets the expected deploy on every check with `version:` when the deployment rolls out, so the
// run (and --wait) judges the served version against it. Returns how many checks it set.
std::size_t expect_deployment(std::vector<Check>& checks, const Deployment& deployment);

// The deploy that was live when an incident recovered, as its recovery note names it.
struct LiveDeploy {
  std::string version;      // what the check served (its `version:`), "" when unknown
  std::string sha;          // the commit, when known (the run's deployment, or a served SHA)
  std::string environment;  // the deployment's environment, when the run is on one
  int pull = 0;             // the pull request the commit came from, 0 when unknown
  std::string pull_title;   // its title, untrusted (people write it)
  std::string pull_url;
  bool deployed = false;  // the commit is the run's deployment's (GitHub's own), not read from a served version
  bool operator==(const LiveDeploy&) const = default;
};

// Returns what is known of the deploy live for a recovered check: the run's deployment when it
// rolled out and the check serves it (or has no `version:`), else the served version, with a
// commit when that version looks like one (7 to 64 hex digits). nullopt when nothing is known.
// A deployment remembered from an earlier run (`remembered`) is named only when the check's
// version: shows it is the one served: another deploy may have followed it.
std::optional<LiveDeploy> live_deploy(const Check& check, const CheckResult& result,
                                      const std::optional<Deployment>& deployment, bool remembered = false);

}  // namespace pw
