#include <bot/report/quorum.hpp>

#include <bot/core/duration.hpp>
#include <bot/report/verdict.hpp>

#include <base/iso8601.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <map>

namespace pw {

namespace {

// One vantage as the fan-in run sees it: declared, reported, or both.
struct Vantage {
  std::string name;
  VantageNetwork network = VantageNetwork::unspecified;
  const VantageReport* report = nullptr;
  std::string unknown;  // why every check is unknown from here (no report, stale); "" when usable
};

std::string first_line(std::string text) {
  const std::size_t newline = text.find_first_of("\r\n");
  return newline == std::string::npos ? text : text.substr(0, newline);
}

VantageRow row_of(const Vantage& vantage, const std::string& check_id) {
  VantageRow row;
  row.name = vantage.name;
  row.network = vantage.network;
  if (vantage.report != nullptr) {
    row.generated_at = vantage.report->generated_at;
  }
  if (!vantage.unknown.empty()) {
    row.reason = vantage.unknown;
    return row;
  }
  const auto found = vantage.report->results.find(check_id);
  if (found == vantage.report->results.end()) {
    row.reason = "its report has no such check (was it written with another config?)";
    return row;
  }
  const CheckResult& result = found->second;
  const Evidence& evidence = result.evidence;
  row.state = result.ok ? VantageState::pass : VantageState::fail;
  row.reason = result.ok ? "" : first_line(reason_of(result));
  row.status = evidence.status;
  row.response_time = evidence.response_time;
  row.addresses = evidence.addresses;
  if (const std::string* server = evidence.header("server")) {
    row.server = *server;
  } else if (const std::string* via = evidence.header("via")) {
    row.server = fmt::format("via {}", *via);
  }
  if (const auto hint = vantage.report->hints.find(check_id); hint != vantage.report->hints.end()) {
    row.hint = hint->second;
  }
  return row;
}

std::string names_of(const std::vector<Vantage>& vantages) {
  std::string names;
  for (const Vantage& vantage : vantages) {
    names += names.empty() ? "" : ", ";
    names += vantage.name;
  }
  return names;
}

}  // namespace

Expected<QuorumResult> combine_vantages(const QuorumInput& input) {
  std::map<std::string, const VantageReport*> by_name;
  for (const VantageReport& report : input.reports) {
    const auto [known, inserted] = by_name.emplace(report.vantage, &report);
    if (!inserted) {
      return fail(
          fmt::format("{} and {} are both reports of vantage \"{}\"; give each job its own check --vantage "
                      "NAME",
                      known->second->file, report.file, report.vantage));
    }
  }
  std::vector<Vantage> vantages;
  for (const VantageDeclaration& declared : input.declared) {
    vantages.push_back({declared.name, declared.network, nullptr, ""});
  }
  for (const auto& entry : by_name) {
    const std::string& name = entry.first;  // not a structured binding: clang 14 cannot capture one
    const auto* report = entry.second;
    const auto same = std::find_if(vantages.begin(), vantages.end(), [&](const Vantage& v) { return v.name == name; });
    if (same == vantages.end()) {
      vantages.push_back({name, report->network, report, ""});
    } else {
      same->report = report;
      if (same->network == VantageNetwork::unspecified) {
        same->network = report->network;
      }
    }
  }
  if (vantages.empty()) {
    return fail(
        "no vantage reports and no vantages declared; upload each job's check --vantage NAME --report FILE "
        "and download them into the --reports folder");
  }
  QuorumResult out;
  for (Vantage& vantage : vantages) {
    if (vantage.report == nullptr) {
      vantage.unknown = "no report (its job did not run or uploaded none)";
    } else if (input.now - vantage.report->generated_at > input.max_age) {
      vantage.unknown = fmt::format("stale report from {}, older than the {} allowed",
                                    base::format_iso8601(vantage.report->generated_at), format_duration(input.max_age));
    }
    if (!vantage.unknown.empty()) {
      out.unknown.push_back(
          fmt::format("vantage {}: {}; counted as unknown, never as passing", vantage.name, vantage.unknown));
    }
  }
  for (const Check& check : input.checks) {
    QuorumVerdict verdict;
    verdict.quorum = check.quorum.value_or(input.default_quorum);
    if (verdict.quorum > static_cast<int>(vantages.size())) {
      return fail(
          fmt::format("check {}: quorum {} is more than the {} vantage(s) there are ({}); lower the quorum or "
                      "declare the missing vantages under vantages:",
                      check.id, verdict.quorum, vantages.size(), names_of(vantages)));
    }
    const CheckResult* first_failing = nullptr;
    const CheckResult* first_passing = nullptr;
    std::string failing_name;
    std::string passing_name;
    for (const Vantage& vantage : vantages) {
      VantageRow row = row_of(vantage, check.id);
      if (row.state == VantageState::unknown) {
        ++verdict.unknown;
      } else {
        const CheckResult& result = vantage.report->results.at(check.id);
        const bool failing = row.state == VantageState::fail;
        ++(failing ? verdict.failing : verdict.passing);
        const CheckResult*& first = failing ? first_failing : first_passing;
        if (first == nullptr) {
          first = &result;
          (failing ? failing_name : passing_name) = vantage.name;
        }
      }
      verdict.rows.push_back(std::move(row));
    }
    CheckResult combined;
    if (verdict.failing >= verdict.quorum) {
      combined = *first_failing;
      combined.ok = false;
      verdict.decided = true;
      verdict.evidence_from = failing_name;
    } else if (verdict.passing >= verdict.quorum) {
      combined = *first_passing;
      combined.ok = true;
      verdict.decided = true;
      verdict.evidence_from = passing_name;
    } else {
      combined.ok = false;
      combined.failed.push_back(
          {"quorum", fmt::format("no verdict: {} of {} vantages failing, {} passing, {} unknown (quorum {})",
                                 verdict.failing, vantages.size(), verdict.passing, verdict.unknown, verdict.quorum)});
    }
    combined.id = check.id;
    combined.vantages = std::move(verdict);
    out.results.push_back(std::move(combined));
  }
  return out;
}

std::string vantages_not_passing(const CheckResult& result) {
  if (!result.vantages || (result.vantages->failing == 0 && result.vantages->unknown == 0)) {
    return "";
  }
  std::string seen;
  for (const VantageRow& row : result.vantages->rows) {
    if (row.state == VantageState::pass) {
      continue;
    }
    seen += seen.empty() ? "" : "; ";
    seen += fmt::format("{} {}: {}", row.name, row.state == VantageState::fail ? "fails" : "unknown", row.reason);
  }
  return seen;
}

}  // namespace pw
