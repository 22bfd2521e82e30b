#include <bot/model/deploy.hpp>

#include <bot/core/text.hpp>

#include <fmt/format.h>

#include <algorithm>

namespace pw {

namespace {

// "abc1234 to production", "abc1234 (v1.4.2) to production": what a deploying check waits for.
std::string deploy_words(const Deployment& deployment) {
  std::string words = short_sha(deployment.sha);
  if (!deployment.ref.empty() && !iequals(deployment.ref, deployment.sha)) {
    words += fmt::format(" ({})", deployment.ref);
  }
  if (!deployment.environment.empty()) {
    words += " to ";
    words += deployment.environment;
  }
  return words;
}

}  // namespace

bool rolling_out(const Deployment& deployment) {
  return deployment.state == "pending" || deployment.state == "queued" || deployment.state == "in_progress" ||
         deployment.state == "success";
}

std::string short_sha(std::string_view sha) { return std::string(sha.substr(0, 7)); }

bool version_matches(std::string_view served, const ExpectedDeploy& deploy) {
  const std::string_view version = trim(served);
  if (version.empty()) {
    return false;
  }
  if (version.size() >= 7 && version.size() <= deploy.sha.size() && is_hex(version) &&
      iequals(version, std::string_view(deploy.sha).substr(0, version.size()))) {
    return true;
  }
  return !deploy.ref.empty() && iequals(version, deploy.ref);
}

std::optional<TimePoint> grace_end(const Deployment& deployment, const std::optional<Millis>& grace) {
  if (!grace || grace->count() <= 0 || !rolling_out(deployment)) {
    return std::nullopt;
  }
  return deployment.created_at + *grace;
}

Deployment remembered_deploy(const Deployment& deployment) {
  Deployment kept;
  kept.state = "success";
  kept.sha = deployment.sha;
  kept.ref = deployment.ref;
  kept.environment = deployment.environment;
  kept.created_at = std::chrono::floor<std::chrono::seconds>(deployment.created_at);
  return kept;
}

std::optional<Pause> deploying_pause(const Check& check, const CheckResult& result, const Deployment& deployment,
                                     TimePoint now) {
  const std::optional<TimePoint> end = grace_end(deployment, check.deploy_grace);
  if (result.ok || !end || now >= *end) {
    return std::nullopt;
  }
  Pause pause;
  pause.by = deploy_words(deployment);
  pause.until = *end;
  pause.deploy = true;
  return pause;
}

Pauses deploying_checks(const std::vector<Check>& checks, const std::vector<CheckResult>& results,
                        const Deployment& deployment, TimePoint now) {
  Pauses deploying;
  for (std::size_t i = 0; i < checks.size() && i < results.size(); ++i) {
    if (auto pause = deploying_pause(checks[i], results[i], deployment, now)) {
      deploying.emplace(checks[i].id, std::move(*pause));
    }
  }
  return deploying;
}

std::size_t expect_deployment(std::vector<Check>& checks, const Deployment& deployment) {
  if (!rolling_out(deployment)) {
    return 0;
  }
  std::size_t count = 0;
  for (Check& check : checks) {
    if (check.version) {
      check.expect.deploy = ExpectedDeploy{*check.version, deployment.sha, deployment.ref};
      ++count;
    }
  }
  return count;
}

std::optional<LiveDeploy> live_deploy(const Check& check, const CheckResult& result,
                                      const std::optional<Deployment>& deployment, bool remembered) {
  LiveDeploy live;
  live.version = result.served_version;
  if (deployment && rolling_out(*deployment) && (check.version || !remembered)) {
    const bool serves_it =
        !check.version ||
        version_matches(result.served_version, ExpectedDeploy{*check.version, deployment->sha, deployment->ref});
    if (serves_it) {
      live.sha = deployment->sha;
      live.environment = deployment->environment;
      live.deployed = true;
      return live;
    }
  }
  const std::string_view version = trim(live.version);
  if (version.size() >= 7 && version.size() <= 64 && is_hex(version)) {
    live.sha = to_lower(version);
  }
  if (live.version.empty() && live.sha.empty()) {
    return std::nullopt;
  }
  return live;
}

}  // namespace pw
