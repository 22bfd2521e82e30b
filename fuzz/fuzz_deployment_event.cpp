// Fuzzes the deployment_status event file (GITHUB_EVENT_PATH). Beyond not crashing: a parsed
// deployment holds only what the rest of probewatch may trust (a lower-case hex commit, a known
// state, an http(s) address or none), and every error names the file and is printable UTF-8.

#include "fuzz_check.hpp"

#include <bot/action/deployment_event.hpp>
#include <bot/core/text.hpp>
#include <bot/model/url.hpp>

#include <algorithm>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = fuzz::as_text(data, size);
  const auto parsed = pw::parse_deployment_event(text, "event.json");
  if (!parsed) {
    const std::string& message = parsed.error().message;
    FUZZ_CHECK_TEXT(message.starts_with("event.json: "), message);
    FUZZ_CHECK_TEXT(pw::sanitize_utf8(message) == message, message);
    return 0;
  }
  const pw::Deployment& deployment = *parsed;
  FUZZ_CHECK(deployment.sha.size() == 40 || deployment.sha.size() == 64);
  FUZZ_CHECK(std::all_of(deployment.sha.begin(), deployment.sha.end(),
                         [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }));
  FUZZ_CHECK(deployment.state == "pending" || deployment.state == "queued" || deployment.state == "in_progress" ||
             deployment.state == "success" || deployment.state == "failure" || deployment.state == "error" ||
             deployment.state == "inactive");
  FUZZ_CHECK(deployment.environment_url.empty() || pw::parse_url(deployment.environment_url).has_value());
  for (const std::string* field : {&deployment.ref, &deployment.environment, &deployment.environment_url}) {
    FUZZ_CHECK(pw::sanitize_utf8(*field) == *field);
  }
  const auto variables = pw::deployment_variables(deployment);
  FUZZ_CHECK(variables.at("PROBEWATCH_DEPLOY_SHA") == deployment.sha);
  return 0;
}
