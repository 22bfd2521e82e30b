#include <bot/render/incident_view.hpp>

#include <bot/core/text.hpp>
#include <bot/core/timestamp.hpp>
#include <bot/render/markdown.hpp>
#include <bot/report/verdict.hpp>

#include <fmt/format.h>

#include <algorithm>

namespace pw {

namespace {

using nlohmann::json;

std::string size_text(std::size_t bytes) {
  if (bytes >= 1024 * 1024) {
    return fmt::format("{:.1f} MiB", static_cast<double>(bytes) / (1024.0 * 1024.0));
  }
  if (bytes >= 1024) {
    return fmt::format("{:.1f} KiB", static_cast<double>(bytes) / 1024.0);
  }
  return fmt::format("{} bytes", bytes);
}

// `shown` of the `total` bytes of the redacted body are shown.
std::string body_note(const Evidence& evidence, std::size_t shown, std::size_t total) {
  if (evidence.body.empty()) {
    return evidence.status ? "empty" : "no response";
  }
  std::string note =
      shown < total ? fmt::format("first {} of {}", size_text(shown), size_text(total)) : size_text(total);
  if (evidence.body_truncated) {
    note += ", cut at the read limit";
  }
  return note;
}

json tls_context(const Evidence& evidence, const Redactor& secrets) {
  if (!evidence.tls || !evidence.tls->leaf) {
    return false;
  }
  const CertificateInfo& leaf = *evidence.tls->leaf;
  std::string names;
  for (const std::string& name : leaf.names) {
    names += names.empty() ? "" : ", ";
    names += name;
  }
  json tls = {{"version", evidence.tls->version},
              {"cipher", evidence.tls->cipher.empty() ? json(false) : json(secrets.apply(evidence.tls->cipher))},
              {"names", secrets.apply(names.empty() ? leaf.subject : names)},
              {"subject", secrets.apply(leaf.subject)},
              {"issuer", secrets.apply(leaf.issuer)},
              {"not_after", format_human_time(leaf.not_after)}};
  const auto chain = evidence.tls->chain_not_after;
  tls["chain_not_after"] = chain && *chain < leaf.not_after ? json(format_human_time(*chain)) : json(false);
  return tls;
}

// A dns:// check's answer: who answered what, with each record's TTL. Names come from the DNS
// server (untrusted), so they are shown as code.
json dns_context(const Evidence& evidence, const Redactor& secrets) {
  if (!evidence.dns) {
    return false;
  }
  const DnsEvidence& dns = *evidence.dns;
  std::string answers;
  for (const DnsAnswer& answer : dns.answers) {
    answers += answers.empty() ? "" : "; ";
    answers += fmt::format("{} {} (TTL {}s)", answer.type, answer.value, answer.ttl);
  }
  return json{{"record", dns.record},
              {"server", dns.server.empty() ? json("the system resolver") : json(secrets.apply(dns.server))},
              {"rcode", dns.rcode.empty() ? json("no answer") : json(dns.rcode)},
              {"answers_code", answers.empty() ? json(false) : json(inline_code(secrets.redact(answers)))}};
}

// "3 failed, at 05:01:02, 05:01:07 and 05:01:17 UTC", with what each saw when that differs, so a
// reader sees the failure was confirmed and not one dropped packet. Empty for a single attempt.
std::string attempts_detail(const std::vector<AttemptNote>& tries, const Redactor& secrets) {
  if (tries.size() < 2) {
    return "";
  }
  const auto failed = static_cast<std::size_t>(
      std::count_if(tries.begin(), tries.end(), [](const AttemptNote& note) { return !note.ok; }));
  const bool same = std::all_of(tries.begin(), tries.end(),
                                [&](const AttemptNote& note) { return note.outcome == tries.front().outcome; });
  std::string out = failed == tries.size() ? fmt::format("{} failed, at ", failed)
                                           : fmt::format("{} of {} failed, at ", failed, tries.size());
  for (std::size_t i = 0; i < tries.size(); ++i) {
    if (i > 0) {
      out += i + 1 == tries.size() ? " and " : ", ";
    }
    out += format_timestamp(tries[i].at).substr(11, 8);
    if (!same) {
      out += " ";
      out += inline_code(secrets.redact(tries[i].ok ? "passed" : tries[i].outcome));
    }
  }
  out += " UTC";
  return out;
}

std::string cell(const Redactor& secrets, std::string_view text) {
  return text.empty() ? "–" : escape_markdown(secrets.redact(sanitize_utf8(std::string(text))));
}

// The per-vantage table: one row per vantage, every cell redacted and escaped for a table.
json vantages_context(const QuorumVerdict& verdict, const Redactor& secrets) {
  json rows = json::array();
  for (const VantageRow& row : verdict.rows) {
    std::string addresses;
    for (const std::string& address : row.addresses) {
      addresses += addresses.empty() ? "" : ", ";
      addresses += address;
    }
    std::string result = row.state == VantageState::pass   ? "passing"
                         : row.state == VantageState::fail ? "failing"
                                                           : "unknown";
    if (!row.reason.empty()) {
      result.append(": ").append(cell(secrets, row.reason));
    }
    rows.push_back({{"name", cell(secrets, row.name)},
                    {"network", row.network == VantageNetwork::unspecified ? "–" : to_string(row.network)},
                    {"result", result},
                    {"status", row.status ? std::to_string(*row.status) : "–"},
                    {"time", row.state == VantageState::unknown ? "–" : format_duration(row.response_time)},
                    {"addresses", cell(secrets, addresses)},
                    {"server", cell(secrets, row.server)},
                    {"hint", cell(secrets, row.hint)}});
  }
  return {{"quorum", verdict.quorum},   {"failing", verdict.failing},   {"passing", verdict.passing},
          {"unknown", verdict.unknown}, {"total", verdict.rows.size()}, {"rows", std::move(rows)}};
}

// The deploy live at recovery: its served version, commit (linked when the repository is known),
// environment and pull request. Everything but the number came from outside and is escaped.
json deploy_context(const LiveDeploy& deploy, const RunInfo& run, const Redactor& secrets) {
  json out;
  out["version_code"] = deploy.version.empty() ? json(false) : json(inline_code(secrets.redact(deploy.version)));
  out["commit"] = deploy.sha.empty() ? json(false) : json(short_sha(deploy.sha));
  out["commit_url"] = deploy.sha.empty() || run.repository.empty()
                          ? json(false)
                          : json(fmt::format("{}/{}/commit/{}", run.server_url, run.repository, deploy.sha));
  out["environment"] =
      deploy.environment.empty() ? json(false) : json(escape_markdown(secrets.redact(deploy.environment)));
  if (deploy.pull > 0) {
    out["pull"] = {{"number", deploy.pull}, {"title", escape_markdown(secrets.redact(deploy.pull_title))}};
  } else {
    out["pull"] = false;
  }
  return out;
}

}  // namespace

std::string RunInfo::run_url() const {
  if (run_id.empty() || repository.empty()) {
    return "";
  }
  return fmt::format("{}/{}/actions/runs/{}", server_url, repository, run_id);
}

json incident_context(const IncidentFacts& facts, const RunInfo& run, const Redactor& secrets,
                      const EvidenceBudget& budget) {
  const Evidence& evidence = facts.result.evidence;
  const Redacted reason = secrets.redact(reason_of(facts.result));
  json context;
  context["check"] = {
      {"id", facts.check.id},
      {"name", secrets.apply(facts.check.name)},
      {"url", secrets.apply(facts.check.url)},
      {"early_warning", facts.check.early_warning.empty() ? json(false) : json(facts.check.early_warning)}};
  // Owners opted in to being told: their mentions are meant (names are validated logins and
  // team slugs), unlike any mention in evidence, which stays neutralized.
  std::string owners;
  for (const Owner& owner : facts.check.owners) {
    owners += owners.empty() ? "@" : ", @";
    owners += owner.name;
  }
  context["owners"] = owners.empty() ? json(false) : json(owners);
  context["verdict"] = facts.result.ok ? "passing" : "failing";
  context["ok"] = facts.result.ok;
  context["reason"] = neutralize_references(secrets.redact(sanitize_utf8(reason.view())));
  context["reason_code"] = inline_code(reason);
  context["status"] = evidence.status ? json(*evidence.status) : json(false);
  context["response_time"] = format_duration(evidence.response_time);
  context["attempts"] = facts.result.attempts;
  const std::string tries = attempts_detail(facts.result.tries, secrets);
  context["attempts_detail"] = tries.empty() ? json(false) : json(tries);
  context["url_code"] = inline_code(secrets.redact(evidence.url.empty() ? facts.check.url : evidence.url));
  std::string addresses;
  for (const std::string& address : evidence.addresses) {
    addresses += addresses.empty() ? "" : ", ";
    addresses += address;
  }
  if (evidence.connects.size() > 1) {
    // More than one address was tried: say what happened at each.
    std::string tried;
    for (const std::string& connect : evidence.connects) {
      tried += tried.empty() ? "" : "; ";
      tried += connect;
    }
    addresses += fmt::format(" (tried {})", tried);
  }
  if (!evidence.proxy.empty()) {
    addresses = fmt::format("{} (through the {})", addresses, evidence.proxy);
  }
  context["addresses"] = addresses.empty() ? json(false) : json(secrets.apply(addresses));
  context["tls"] = tls_context(evidence, secrets);
  context["dns"] = dns_context(evidence, secrets);
  context["vantages"] = facts.result.vantages ? vantages_context(*facts.result.vantages, secrets) : json(false);

  json failures = json::array();
  for (const FailedExpectation& failed : facts.result.failed) {
    const Redacted message = secrets.redact(sanitize_utf8(failed.message));
    failures.push_back({{"text", neutralize_references(message)}, {"text_code", inline_code(message)}});
  }
  context["has_failures"] = !failures.empty();
  context["failures"] = std::move(failures);

  json redirects = json::array();
  for (const RedirectHop& hop : evidence.redirects) {
    redirects.push_back({{"status", hop.status},
                         {"from_code", inline_code(secrets.redact(hop.from))},
                         {"to_code", inline_code(secrets.redact(hop.location))}});
  }
  context["has_redirects"] = !redirects.empty();
  context["redirects"] = std::move(redirects);

  std::string header_lines;
  std::size_t count = 0;
  for (const auto& [name, value] : evidence.headers) {
    if (count++ == budget.headers) {
      header_lines += fmt::format("… {} more headers not shown\n", evidence.headers.size() - budget.headers);
      break;
    }
    header_lines += fmt::format("{}: {}\n", name, value);
  }
  context["headers_block"] =
      code_fence(secrets.redact(header_lines.empty() ? "(no response headers)" : header_lines), "http");
  // Redacted before it is cut, so a secret across the cut is still found whole.
  const std::string body = secrets.apply(evidence.body);
  const std::string_view excerpt = utf8_prefix(body, budget.body_bytes);
  context["body_block"] = code_fence(secrets.redact(excerpt.empty() ? "(empty)" : excerpt));
  context["body_note"] = body_note(evidence, excerpt.size(), body.size());

  json hints = json::array();
  for (const Hint& hint : facts.hints) {
    hints.push_back(
        {{"id", hint.id},
         {"title", neutralize_references(secrets.redact(hint.title))},
         {"detail", neutralize_references(secrets.redact(sanitize_utf8(hint.detail)))},
         {"evidence_code", hint.evidence.empty() ? json(false) : json(inline_code(secrets.redact(hint.evidence)))}});
  }
  context["hints"] = std::move(hints);

  const IncidentState& state = facts.state;
  context["first_seen"] = format_human_time(state.first_seen);
  context["last_seen"] = format_human_time(state.last_seen);
  context["runs_failed"] = state.runs_failed;
  context["down_for"] = format_duration(std::chrono::duration_cast<Millis>(run.now - state.first_seen));
  context["passes"] = state.passes;
  context["success_threshold"] = facts.success_threshold;
  context["recovering"] = facts.result.ok && state.passes > 0 && state.passes < facts.success_threshold;
  const std::string run_url = run.run_url();
  context["run_url"] = run_url.empty() ? json(false) : json(run_url);
  context["run_id"] = run.run_id;
  context["deploy"] = facts.deploy != nullptr ? deploy_context(*facts.deploy, run, secrets) : json(false);
  return context;
}

}  // namespace pw
