#pragma once

#include <bot/core/environment.hpp>
#include <bot/core/error.hpp>
#include <bot/core/files.hpp>
#include <bot/model/deploy.hpp>

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace pw {

// The largest event file read: GitHub's deployment_status payloads are tens of KiB.
inline constexpr std::size_t k_event_file_limit = 4 * 1024 * 1024;

// Parses the deployment_status event GitHub writes to GITHUB_EVENT_PATH. `where` names the file in
// messages. Fails, naming the field and what was found, on anything that is not such an event:
// not JSON, nested deeper than 64, a missing or mistyped field, an unknown state, a SHA that is
// not hex, a URL that is not http(s), a time that is not ISO 8601.
Expected<Deployment> parse_deployment_event(std::string_view text, const std::string& where);

// Returns the run's deployment when it runs on a deployment_status event (GITHUB_EVENT_NAME and
// GITHUB_EVENT_PATH), nullopt on any other event or outside Actions. Fails when the event file
// cannot be read or parsed.
Expected<std::optional<Deployment>> deployment_of_run(const Environment& env, Files& files);

// The environment variables a deployment gives the config, all public (never redacted):
// PROBEWATCH_DEPLOY_URL, PROBEWATCH_DEPLOY_SHA, PROBEWATCH_DEPLOY_REF, PROBEWATCH_DEPLOY_ENVIRONMENT.
std::map<std::string, std::string> deployment_variables(const Deployment& deployment);

}  // namespace pw
