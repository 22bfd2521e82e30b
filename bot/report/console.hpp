#pragma once

#include <bot/report/report.hpp>

#include <mutex>
#include <ostream>
#include <string>

namespace pw {

// Returns the terminal table of results: one row per check with verdict, status, time and the
// first failed expectation (or the error), secrets redacted.
std::string results_table(const RunReport& report);

// One change, in words for people: "opened", "#12", "API health is failing", why, link.
struct ChangeLine {
  std::string verb;   // "opened", "would close", ...
  std::string issue;  // "#12", or "a new issue" in a dry run
  std::string title;  // the incident's title, else the check's name
  std::string why;    // the failure for an opened incident, else what changed
  std::string url;    // empty in a dry run
};

// Returns the parts of one change's line, secrets redacted, each on one line.
ChangeLine describe_change(const RunReport& report, const AppliedAction& action);

// Returns the line for one change: verb, number, title, why, link ("opened #12 API health is
// failing: status 404 not in [200] https://github.com/octo/app/issues/12"), secrets redacted.
std::string action_line(const RunReport& report, const AppliedAction& action);

// Returns action_line for each action taken or planned, one a line.
std::string actions_text(const RunReport& report);

// Returns the one-line summary after the changes: "issues: 13 opened, 1 closed; 13 of 20 checks
// failing".
std::string changes_summary(const RunReport& report);
// The checks in maintenance this run, one line each with what pauses them and until when.
std::string maintenance_text(const RunReport& report);

// The deploying checks this run, one line each with the deploy and when its grace ends.
std::string deploying_text(const RunReport& report);

// One line about the run's deployment: commit, ref, environment, state, when it began, and how
// many checks must serve it ("deployment abc1234 (main) to production: success at ..., begun ...").
std::string deployment_text(const Deployment& deployment, std::size_t expecting, const Redactor& secrets);

// A live "[12/200] probing…" line on a terminal; silent when the output is not a terminal.
class ProgressLine {
 public:
  ProgressLine(std::ostream& out, bool enabled) : m_out(out), m_enabled(enabled) {}
  // Shows how many checks are done and how many failed so far.
  void update(std::size_t done, std::size_t total, bool ok);
  // Erases the line.
  void finish();

 private:
  std::ostream& m_out;
  bool m_enabled;
  std::mutex m_mutex;
  std::size_t m_failing = 0;
  bool m_shown = false;
};

}  // namespace pw
