#pragma once

#include <bot/core/error.hpp>

#include <optional>
#include <string>
#include <vector>

namespace pw {

// The parsed command line of every command; fields a command does not take stay empty.
struct Options {
  std::string command;  // check, run, watch, triage, validate, schema, action
  std::string config = ".github/probewatch.yml";
  bool config_given = false;
  std::string report;
  std::string repo;
  std::string tracker;  // "", "github", "local" or "local:PATH"
  std::string fail_on = "any";
  std::string shard;  // "I/N"
  std::string wait;   // a duration
  bool dry_run = false;
  bool keep_orphans = false;
  bool no_progress = false;
  bool verbose = false;  // run: print whole incident bodies
  // vantage points (check --vantage; run --reports)
  std::string vantage;         // check: the vantage this report is from
  std::string reports;         // run: the folder of vantage reports to combine instead of probing
  int quorum = 0;              // run --reports: failing vantages that open an incident; 0: unset (1)
  std::string max_report_age;  // run --reports: a duration; older reports are stale
  // triage
  bool dedupe = false;
  std::string legacy_label;
  bool recheck = false;
  int issue = 0;
  std::string close_stale;
  bool json = false;
  std::string label;  // the bot label for triage without --config
  // watch
  std::string interval;  // a duration
  std::string duration;  // a duration
  // import
  std::string import_format;  // "upptime" or "gatus"
  std::string import_file;
  // status-page
  std::string out;    // the folder it writes
  std::string title;  // the page's heading
};

// What parsing decided: run a command, or print text (help, version, a usage error) and exit.
struct ParsedCommandLine {
  std::optional<Options> options;
  std::string text;   // help, version or error text
  int exit_code = 0;  // when options is empty
};

// Parses `args` (without the program name).
ParsedCommandLine parse_command_line(const std::vector<std::string>& args);

}  // namespace pw
