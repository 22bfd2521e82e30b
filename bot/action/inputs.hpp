#pragma once

#include <bot/core/environment.hpp>
#include <bot/core/error.hpp>

#include <string>

namespace pw {

// The action's inputs, read from INPUT_<NAME> (upper-cased, hyphens kept: INPUT_DRY-RUN).
struct ActionInputs {
  std::string config = ".github/probewatch.yml";
  std::string token;
  std::string repository;
  bool dry_run = false;
  std::string fail_on = "any";
  std::string report_path = "probewatch-report.json";
  std::string api_url;
  bool keep_orphans = false;
  std::string shard;
  std::string wait;
  std::string tracker;
  // watch mode (issue 15): how long to watch ("" runs once) and how often to probe
  std::string watch;
  std::string interval = "30s";
  // vantage points (issue 18): a vantage job's name, or the fan-in job's folder of reports
  std::string vantage;
  std::string reports;
  int quorum = 0;  // 0: unset
  std::string max_report_age;
  // status page (issue 16): the folder the page is written to after the run ("" writes none)
  std::string status_page;
};

// Reads every input from `env` in one place. Fails naming the input on a value it cannot use.
Expected<ActionInputs> read_action_inputs(const Environment& env);

}  // namespace pw
