#include <bot/cli/options.hpp>

#include <CLI/CLI.hpp>

#include <sstream>

namespace pw {

namespace {

constexpr const char* k_version = "probewatch " PROBEWATCH_VERSION;

void add_run_options(CLI::App& command, Options& options) {
  command.add_option("--repo", options.repo, "Repository OWNER/NAME for issues (default: $GITHUB_REPOSITORY)");
  command.add_option("--tracker", options.tracker,
                     "Where incidents live: github, or local[:PATH] (default: github when a token and repository "
                     "are set, else local:.probewatch/issues.json)");
  command.add_flag("--dry-run", options.dry_run, "Print what would change; write nothing");
  command.add_option("--fail-on", options.fail_on, "Exit 1 when: never, new (an incident opened), any (a check fails)")
      ->check(CLI::IsMember({"never", "new", "any"}));
  command.add_flag("--keep-orphans", options.keep_orphans, "Leave incidents of checks removed from the config open");
  command.add_option("--shard", options.shard, "Run only shard I of N (I/N), for a matrix of jobs");
  command.add_option("--wait", options.wait, "Poll failing checks until they pass or this long passes (deploys)");
}

}  // namespace

ParsedCommandLine parse_command_line(const std::vector<std::string>& args) {
  Options options;
  CLI::App app{"probewatch probes HTTP(S) endpoints and keeps exactly one GitHub issue per failing check.",
               "probewatch"};
  app.set_version_flag("--version", k_version);
  app.require_subcommand(1);
  app.failure_message(CLI::FailureMessage::help);

  // Every --config is collected, so a second one is our clear error rather than CLI11's count.
  std::vector<std::string> configs;
  auto config_option = [&](CLI::App& command, bool required) {
    auto* option = command.add_option("--config", configs, "Config file (YAML)")
                       ->expected(1)
                       ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
    if (required) {
      option->required();
    }
    return option;
  };

  CLI::App* check = app.add_subcommand("check", "Probe only and print the results");
  config_option(*check, false);
  check->add_option("--report", options.report, "Write the JSON report here");
  check->add_flag("--no-progress", options.no_progress, "No live progress line");
  check->add_option("--wait", options.wait, "Poll failing checks until they pass or this long passes");
  check->add_option("--vantage", options.vantage,
                    "Write the report as this vantage point's (with --report), for run --reports to combine");

  CLI::App* run = app.add_subcommand("run", "Probe, then open, update and close issues");
  config_option(*run, false);
  run->add_option("--report", options.report, "Write the JSON report here");
  run->add_flag("--no-progress", options.no_progress, "No live progress line");
  run->add_flag("--verbose", options.verbose, "With a local tracker: print the whole issue opened, reopened or closed");
  add_run_options(*run, options);
  run->add_option("--reports", options.reports,
                  "Combine the vantage reports in this folder instead of probing (the fan-in job)");
  run->add_option("--quorum", options.quorum,
                  "With --reports: vantages that must fail to open an incident, and pass to close it (default 1)")
      ->check(CLI::PositiveNumber);
  run->add_option("--max-report-age", options.max_report_age,
                  "With --reports: a report older than this is stale, its vantage unknown (default 1h)");

  CLI::App* watch =
      app.add_subcommand("watch", "Probe every interval in one process, opening and closing issues as run does");
  config_option(*watch, false);
  watch->add_option("--interval", options.interval, "How often to probe (at least 1s), e.g. 30s")->required();
  watch->add_option("--duration", options.duration, "How long to watch, e.g. 5h50m (below the 6 h job limit)")
      ->required();
  watch->add_option("--report", options.report, "Write the JSON report of the latest cycle here");
  watch->add_flag("--no-progress", options.no_progress, "No live progress line");
  add_run_options(*watch, options);

  CLI::App* triage = app.add_subcommand("triage", "List, de-duplicate, recheck or close the issues probewatch manages");
  triage->add_option("--repo", options.repo, "Repository OWNER/NAME (default: $GITHUB_REPOSITORY)");
  triage->add_option("--tracker", options.tracker, "github, or local[:PATH]");
  triage->add_flag("--dedupe", options.dedupe, "Close open issues that report the same thing, keeping the oldest");
  triage->add_option("--legacy-label", options.legacy_label,
                     "With --dedupe: also merge issues without a marker under this label by normalized title");
  triage->add_flag("--recheck", options.recheck, "Probe the checks of open incidents now; close the recovered");
  config_option(*triage, false)->description("Config file: the bot label, and the checks for --recheck");
  triage->add_flag("--dry-run", options.dry_run, "Print what would change; write nothing");
  triage->add_flag("--no-progress", options.no_progress, "No live progress line");
  triage->add_option("--issue", options.issue, "Act on this issue only")->check(CLI::PositiveNumber);
  triage->add_option("--close-stale", options.close_stale, "Close incidents open longer than this duration");
  triage->add_flag("--json", options.json, "Print the list as JSON");
  triage->add_option("--label", options.label,
                     "The label of managed issues (default: the config's first issues.labels, else probewatch)");

  CLI::App* validate = app.add_subcommand("validate", "Check the config file; errors give file:line:col");
  config_option(*validate, false);

  app.add_subcommand("schema", "Print the JSON Schema of the config file");
  CLI::App* import = app.add_subcommand("import", "Print an equivalent probewatch config for an Upptime or Gatus one");
  import->add_option("format", options.import_format, "upptime (.upptimerc.yml) or gatus (config.yaml)")
      ->required()
      ->check(CLI::IsMember({"upptime", "gatus"}));
  import->add_option("file", options.import_file, "The file to translate")->required();
  CLI::App* show = app.add_subcommand("show", "Print one incident: state, check, latest evidence, hints, timeline");
  show->add_option("issue", options.issue, "The issue number")->required()->check(CLI::PositiveNumber);
  show->add_option("--repo", options.repo, "Repository OWNER/NAME (default: $GITHUB_REPOSITORY)");
  show->add_option("--tracker", options.tracker, "github, or local[:PATH]");
  show->add_flag("--json", options.json, "Print the incident as JSON");
  CLI::App* status_page = app.add_subcommand("status-page", "Write a static HTML status page from the dashboard");
  status_page->add_option("--out", options.out, "The folder to write index.html and status.json into")->required();
  config_option(*status_page, false)->description("Config file: the bot label, check names and maintenance windows");
  status_page->add_option("--repo", options.repo, "Repository OWNER/NAME (default: $GITHUB_REPOSITORY)");
  status_page->add_option("--tracker", options.tracker, "github, or local[:PATH]");
  status_page->add_option("--title", options.title, "The page's heading (default: Status)");
  CLI::App* action = app.add_subcommand("action", "Run as a GitHub Action step (reads INPUT_* variables)");
  (void)action;

  std::vector<std::string> reversed(args.rbegin(), args.rend());
  try {
    app.parse(reversed);
  } catch (const CLI::ParseError& error) {
    std::ostringstream out;
    std::ostringstream err;
    const int code = app.exit(error, out, err);
    ParsedCommandLine parsed;
    parsed.text = out.str() + err.str();
    parsed.exit_code = code == 0 ? 0 : 2;
    return parsed;
  }
  for (CLI::App* command : app.get_subcommands()) {
    options.command = command->get_name();
    const CLI::Option* config = command->get_option_no_throw("--config");
    options.config_given = config != nullptr && config->count() > 0;
  }
  if (configs.size() > 1) {
    std::string given;
    for (const std::string& file : configs) {
      given += given.empty() ? "" : ", ";
      given += file;
    }
    return {std::nullopt,
            "probewatch: --config was given " + std::to_string(configs.size()) + " times (" + given +
                "); pass one config file (a run reads one config; use several runs or `repo:` per check)\n",
            2};
  }
  if (configs.size() == 1) {
    options.config = configs.front();
  }
  return {options, "", 0};
}

}  // namespace pw
