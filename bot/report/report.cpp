#include <bot/report/report.hpp>

#include <bot/core/timestamp.hpp>

#include <bot/report/evidence_json.hpp>
#include <bot/report/verdict.hpp>

#include <base/iso8601.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <stdexcept>

namespace pw {

const Check& RunReport::check(const std::string& id) const {
  const Check* found = find_check(id);
  if (found == nullptr) {
    throw std::out_of_range("no check " + id);
  }
  return *found;
}

const Check* RunReport::find_check(const std::string& id) const {
  if (m_index.empty()) {
    for (const Check& check : config->checks) {
      m_index.emplace(check.id, &check);
    }
  }
  const auto found = m_index.find(id);
  return found == m_index.end() ? nullptr : found->second;
}

std::string RunReport::name_of(const std::string& id) const {
  const Check* found = find_check(id);
  return found != nullptr ? found->name : id;
}

std::size_t RunReport::failing() const {
  return static_cast<std::size_t>(
      std::count_if(results.begin(), results.end(), [](const CheckResult& r) { return !r.ok; }));
}

std::size_t RunReport::degraded() const {
  return static_cast<std::size_t>(
      std::count_if(results.begin(), results.end(), [](const CheckResult& r) { return r.ok && r.degraded; }));
}

namespace {

nlohmann::json vantage_rows_json(const QuorumVerdict& verdict, const Redactor& secrets) {
  using nlohmann::json;
  json rows = json::array();
  for (const VantageRow& row : verdict.rows) {
    rows.push_back(
        {{"vantage", row.name},
         {"network", row.network == VantageNetwork::unspecified ? json(nullptr) : json(to_string(row.network))},
         {"state", row.state == VantageState::pass   ? "pass"
                   : row.state == VantageState::fail ? "fail"
                                                     : "unknown"},
         {"reason", row.reason.empty() ? json(nullptr) : json(secrets.apply(row.reason))},
         {"status", row.status ? json(*row.status) : json(nullptr)},
         {"response_time_ms", row.response_time.count()},
         {"addresses", row.addresses},
         {"server", row.server.empty() ? json(nullptr) : json(secrets.apply(row.server))},
         {"hint", row.hint.empty() ? json(nullptr) : json(secrets.apply(row.hint))}});
  }
  return {{"quorum", verdict.quorum},   {"failing", verdict.failing}, {"passing", verdict.passing},
          {"unknown", verdict.unknown}, {"decided", verdict.decided}, {"rows", std::move(rows)}};
}

}  // namespace

std::string report_json(const RunReport& report) {
  using nlohmann::json;
  const Redactor& secrets = report.config->secrets;
  json checks = json::array();
  for (const CheckResult& result : report.results) {
    const Check& check = report.check(result.id);
    json failed = json::array();
    for (const FailedExpectation& expectation : result.failed) {
      failed.push_back(secrets.apply(expectation.message));
    }
    json entry = {
        {"id", check.id},
        {"name", secrets.apply(check.name)},
        {"url", secrets.apply(check.url)},
        {"ok", result.ok},
        {"attempts", result.attempts},
        {"status", result.evidence.status ? json(*result.evidence.status) : json(nullptr)},
        {"response_time_ms", result.evidence.response_time.count()},
        {"error", result.evidence.failure != TransportFailure::none ? json(secrets.apply(result.evidence.error))
                                                                    : json(nullptr)},
        {"failed_expectations", std::move(failed)}};
    entry["reason"] = secrets.apply(reason_of(result));
    json tries = json::array();
    for (const AttemptNote& note : result.tries) {
      tries.push_back({{"at", format_timestamp(note.at)}, {"ok", note.ok}, {"outcome", secrets.apply(note.outcome)}});
    }
    entry["tries"] = std::move(tries);
    entry["degraded"] = result.degraded;
    if (result.degraded) {
      entry["degraded_reason"] = result.degraded_reason;
    }
    json hints = json::array();
    if (const auto found = report.hints.find(check.id); found != report.hints.end()) {
      for (const Hint& hint : found->second) {
        hints.push_back({{"id", hint.id},
                         {"title", hint.title},
                         {"detail", secrets.apply(hint.detail)},
                         {"evidence", secrets.apply(hint.evidence)}});
      }
    }
    entry["hints"] = std::move(hints);
    if (const auto wait = report.waits.find(check.id); wait != report.waits.end()) {
      entry["wait"] = {{"passed", wait->second.passed},
                       {"waited_ms", wait->second.waited.count()},
                       {"polls", wait->second.polls},
                       {"last", wait->second.passed ? json(nullptr) : json(secrets.apply(wait->second.last))}};
    }
    if (report.vantage) {
      entry["evidence"] = evidence_json(result, secrets);
    }
    if (result.vantages) {
      entry["vantages"] = vantage_rows_json(*result.vantages, secrets);
    }
    if (const auto url = report.incident_urls.find(check.id); url != report.incident_urls.end()) {
      entry["incident_url"] = url->second;
    }
    if (!result.served_version.empty()) {
      entry["served_version"] = secrets.apply(result.served_version);
    }
    checks.push_back(std::move(entry));
  }
  json actions = json::array();
  for (const AppliedAction& action : report.actions) {
    json entry = {{"kind", to_string(action.kind)},
                  {"check", action.check},
                  {"issue", action.issue == 0 ? json(nullptr) : json(action.issue)},
                  {"url", action.url.empty() ? json(nullptr) : json(secrets.apply(action.url))}};
    if (!action.detail.empty()) {
      entry["detail"] = secrets.apply(action.detail);
    }
    actions.push_back(std::move(entry));
  }
  json out = {{"version", 1}, {"checks", std::move(checks)}, {"actions", std::move(actions)}};
  out["api_requests"] = report.api_requests ? json(*report.api_requests) : json(0);
  if (report.generated_at) {
    out["generated_at"] = base::format_iso8601(*report.generated_at);
  }
  json maintenance = json::array();
  for (const auto& [id, pause] : report.maintenance) {
    maintenance.push_back({{"check", id},
                           {"by", secrets.apply(pause.by)},
                           {"until", pause.until == TimePoint{} ? json(nullptr) : json(format_timestamp(pause.until))},
                           {"issue", pause.issue == 0 ? json(nullptr) : json(pause.issue)}});
  }
  out["maintenance"] = std::move(maintenance);
  if (report.vantage) {
    out["vantage"] = report.vantage->name;
    out["vantage_network"] = report.vantage->network == VantageNetwork::unspecified
                                 ? json(nullptr)
                                 : json(to_string(report.vantage->network));
  }
  if (!report.vantage_notes.empty()) {
    out["unknown_vantages"] = report.vantage_notes;
  }
  json deploying = json::array();
  for (const auto& [id, pause] : report.deploying) {
    deploying.push_back({{"check", id}, {"by", secrets.apply(pause.by)}, {"until", format_timestamp(pause.until)}});
  }
  out["deploying"] = std::move(deploying);
  if (report.deployment) {
    const Deployment& deployment = *report.deployment;
    out["deployment"] = {{"id", deployment.id},
                         {"state", deployment.state},
                         {"environment", secrets.apply(deployment.environment)},
                         {"environment_url", secrets.apply(deployment.environment_url)},
                         {"sha", deployment.sha},
                         {"ref", secrets.apply(deployment.ref)},
                         {"created_at", format_timestamp(deployment.created_at)}};
  }
  if (report.dry_run) {
    out["dry_run"] = true;
  }
  if (report.network_down) {
    out["network_down"] = true;
  }
  if (!report.errors.empty()) {
    json errors = json::array();
    for (const std::string& error : report.errors) {
      errors.push_back(secrets.apply(error));
    }
    out["errors"] = std::move(errors);
  }
  return out.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

}  // namespace pw
