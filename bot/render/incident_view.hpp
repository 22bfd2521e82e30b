#pragma once

#include <bot/config/config.hpp>
#include <bot/core/redactor.hpp>
#include <bot/diagnose/hint.hpp>
#include <bot/model/check_result.hpp>
#include <bot/model/deploy.hpp>
#include <bot/reconcile/marker.hpp>

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace pw {

// Facts about the current workflow run, for links in issues.
struct RunInfo {
  std::string server_url = "https://github.com";  // GITHUB_SERVER_URL
  std::string repository;                         // GITHUB_REPOSITORY
  std::string run_id;                             // GITHUB_RUN_ID
  TimePoint now{};
  // Returns the run's URL, or "" outside Actions.
  std::string run_url() const;
};

// How much of the evidence goes into a body; shrunk when a body would pass GitHub's limit.
struct EvidenceBudget {
  std::size_t body_bytes = 2048;
  std::size_t headers = 40;
};

// Everything the templates may show about one check's incident.
struct IncidentFacts {
  const Check& check;
  const CheckResult& result;
  const IncidentState& state;
  const std::vector<Hint>& hints;
  int success_threshold = 1;
  const LiveDeploy* deploy = nullptr;  // the deploy live at recovery, when known (recovery notes)
};

// Builds the Mustache context for an incident's body and comments. Untrusted evidence takes one
// path here: redacted by `secrets` as raw text, then fenced, neutralized and cut. (The writer
// redacts the rendered text once more, as a safety net.)
nlohmann::json incident_context(const IncidentFacts& facts, const RunInfo& run, const Redactor& secrets,
                                const EvidenceBudget& budget = {});

}  // namespace pw
