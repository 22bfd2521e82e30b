#pragma once

#include <bot/model/maintenance.hpp>

#include <bot/core/redactor.hpp>
#include <bot/reconcile/plan.hpp>
#include <bot/render/incident_view.hpp>
#include <bot/render/templates.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace pw {

// One row of the dashboard's status table.
struct DashboardRow {
  std::string id;
  std::string name;
  CheckMemory memory;
  std::optional<Pause> pause;  // set while the check is in maintenance
  bool failing_now = false;    // this run's probe failed (in maintenance the memory may not say so)
  TimeSpans maintenance;       // the config's windows over this check in the last 90 days, for uptime
  std::string vantages;        // fan-in runs: vantage_note() of this run's vote, "" when no vantage fails
};

// Turns plans into the exact text of issues and comments: renders the templates, keeps the
// bot-owned section and its marker apart from people's edits, redacts secrets and keeps every
// text under GitHub's size limit.
class IssueWriter {
 public:
  IssueWriter(const TemplateSet& templates, const Redactor& secrets, RunInfo run)
      : m_templates(templates), m_secrets(secrets), m_run(std::move(run)) {}

  // Returns the title and body of a new incident.
  Expected<RenderedIssue> new_incident(const IncidentFacts& facts) const;
  // Returns `current` with only the bot-owned section (and its marker) replaced; people's edits
  // elsewhere are kept. A body whose section markers were removed gets the section appended.
  Expected<std::string> updated_body(std::string_view current, const IncidentFacts& facts) const;
  // Returns the comment for `action` (still failing, changed, recovered, reopened, duplicate, removed).
  Expected<std::string> comment(const Action& action, const IncidentFacts& facts) const;
  // Returns the comment for an incident whose check is gone from the config (no fresh evidence).
  Expected<std::string> removed_comment(const std::string& check_id) const;
  // Returns the comment closing a duplicate in favour of `kept`.
  Expected<std::string> duplicate_comment(const std::string& check_id, int kept) const;
  // Returns the dashboard's title and body for `state`, with a status table of `rows`.
  Expected<RenderedIssue> dashboard(const DashboardState& state, const std::vector<DashboardRow>& rows) const;

  const RunInfo& run() const { return m_run; }
  const Redactor& secrets() const { return m_secrets; }

 private:
  Expected<std::string> owned_section(const IncidentFacts& facts, bool with_marker) const;

  const TemplateSet& m_templates;
  const Redactor& m_secrets;
  RunInfo m_run;
};

// The comment lines that delimit the bot-owned section of an incident's body.
inline constexpr std::string_view k_section_begin =
    "<!-- probewatch:begin (this section is rewritten on every run; edit outside it) -->";
inline constexpr std::string_view k_section_end = "<!-- probewatch:end -->";

// Returns `body` with the bot-owned section replaced by `section` (or appended when missing).
std::string replace_owned_section(std::string_view body, std::string_view section);

}  // namespace pw
