#pragma once

#include <bot/report/report.hpp>

#include <mutex>
#include <ostream>
#include <string>

namespace pw {

// Returns the terminal table of results: one row per check with verdict, status, time and the
// first failed expectation (or the error), secrets redacted.
std::string results_table(const RunReport& report);

// Returns one line per action taken or planned: "opened #12 api-health: API health is failing".
std::string actions_text(const RunReport& report);

// The checks in maintenance this run, one line each with what pauses them and until when.
std::string maintenance_text(const RunReport& report);

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
