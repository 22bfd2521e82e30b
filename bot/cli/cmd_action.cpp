#include <bot/action/annotations.hpp>
#include <bot/action/inputs.hpp>
#include <bot/action/summary.hpp>
#include <bot/action/workflow_commands.hpp>
#include <bot/cli/commands.hpp>
#include <bot/cli/run_outcome.hpp>
#include <bot/core/text.hpp>
#include <bot/render/markdown.hpp>
#include <bot/report/verdict.hpp>

#include <fmt/format.h>

#include <random>
#include <sstream>

namespace pw {

namespace {

constexpr const char* k_action_no_token =
    "no GitHub token: set the action's `token:` input (its default is ${{ github.token }}) and give the job "
    "`permissions: issues: write`; to keep incidents in a file instead, set `tracker: local:PATH`";

Options options_from_inputs(const ActionInputs& inputs) {
  Options options;
  options.command = "run";
  options.config = inputs.config;
  options.config_given = true;
  options.repo = inputs.repository;
  options.dry_run = inputs.dry_run;
  options.fail_on = inputs.fail_on;
  options.report = inputs.report_path;
  options.keep_orphans = inputs.keep_orphans;
  options.shard = inputs.shard;
  options.wait = inputs.wait;
  options.tracker = inputs.tracker;
  options.no_progress = true;
  if (!inputs.watch.empty()) {
    options.command = "watch";
    options.duration = inputs.watch;
    options.interval = inputs.interval;
  }
  if (!inputs.vantage.empty()) {
    options.command = "check";  // a vantage job: probe and write the report, 0 GitHub requests
    options.vantage = inputs.vantage;
  }
  options.reports = inputs.reports;
  options.quorum = inputs.quorum;
  options.max_report_age = inputs.max_report_age;
  return options;
}

// "file:line:col: message" lines become annotations on the config file.
std::string config_error_annotations(const std::string& errors) {
  std::string out;
  std::istringstream lines(errors);
  for (std::string line; std::getline(lines, line);) {
    std::string file;
    std::string position;
    const std::size_t first = line.find(':');
    const std::size_t second = first == std::string::npos ? first : line.find(':', first + 1);
    const std::size_t third = second == std::string::npos ? second : line.find(':', second + 1);
    if (third != std::string::npos && line.compare(third, 2, ": ") == 0) {
      out += fmt::format("::error file={},line={},col={},title=probewatch config::{}\n",
                         escape_command_property(line.substr(0, first)), line.substr(first + 1, second - first - 1),
                         line.substr(second + 1, third - second - 1), escape_command_data(line.substr(third + 2)));
    } else {
      out += error_command("probewatch config", line);
    }
  }
  return out;
}

std::string numbers_of(const RunReport& report, std::initializer_list<ActionKind> kinds) {
  std::string out;
  for (const AppliedAction& action : report.actions) {
    if (action.issue != 0 && std::find(kinds.begin(), kinds.end(), action.kind) != kinds.end()) {
      out += out.empty() ? "" : ",";
      out += std::to_string(action.issue);
    }
  }
  return out;
}

std::string stop_token() {
  std::random_device device;
  return fmt::format("probewatch-{:016x}", (static_cast<std::uint64_t>(device()) << 32) | device());
}

// Evidence of failing checks, folded into groups. Untrusted text is shown with workflow
// commands stopped, so a response body cannot issue "::add-mask::" or the like.
std::string evidence_groups(const RunReport& report) {
  std::string out;
  const Redactor& secrets = report.config->secrets;
  for (const CheckResult& result : report.results) {
    if (result.ok) {
      continue;
    }
    std::string text = fmt::format("{} {}\n", result.evidence.url, reason_of(result));
    for (const FailedExpectation& failed : result.failed) {
      text += "  - " + failed.message + "\n";
    }
    for (const auto& [name, value] : result.evidence.headers) {
      text += fmt::format("  {}: {}\n", name, value);
    }
    if (!result.evidence.body.empty()) {
      text += "  body: " + std::string(utf8_prefix(result.evidence.body, 1024)) + "\n";
    }
    // The group commands must work, so each group's text gets its own stop-commands block.
    const std::string token = stop_token();
    out += group_command(secrets.apply(fmt::format("Evidence: {}", report.name_of(result.id))));
    out += fmt::format("::stop-commands::{}\n", token);
    out += secrets.apply(sanitize_utf8(text));
    out += fmt::format("::{}::\n", token);
    out += end_group_command();
  }
  return out;
}

}  // namespace

int command_action(AppContext& context) {
  auto inputs = read_action_inputs(context.env);
  if (!inputs) {
    context.out << error_command("probewatch", inputs.error().message);
    return k_exit_usage;
  }
  if (!inputs->token.empty()) {
    context.env["PROBEWATCH_TOKEN"] = inputs->token;
  }
  // Masks come before anything else: the token (from the input or the environment) first.
  for (const char* name : {"PROBEWATCH_TOKEN", "GITHUB_TOKEN"}) {
    if (const auto token = lookup(context.env, name)) {
      context.out << mask_command(*token);
    }
  }
  if (!inputs->api_url.empty()) {
    context.env["GITHUB_API_URL"] = inputs->api_url;
  }
  Options options = options_from_inputs(*inputs);
  // The action never falls back to a file quietly: a container's file is thrown away with it.
  if (options.tracker.empty()) {
    options.tracker = "github";
  }
  if (options.command != "check" && options.tracker == "github" && !lookup(context.env, "PROBEWATCH_TOKEN") &&
      !lookup(context.env, "GITHUB_TOKEN")) {
    context.out << error_command("probewatch", k_action_no_token);
    context.err << "probewatch: " << k_action_no_token << "\n";
    return k_exit_usage;
  }

  // The config's secrets are masked next, so the config is read quietly first.
  std::ostringstream config_errors;
  AppContext quiet{context.env, context.clock, context.files, context.prober, context.make_transport,
                   context.out, config_errors};
  auto config = load_config_for(options, quiet);
  if (config) {
    for (const std::string& secret : config->secrets.secrets()) {
      context.out << mask_command(secret);
    }
  }
  if (!config) {
    context.out << config_error_annotations(config_errors.str());
    context.err << config_errors.str();
    return k_exit_usage;
  }

  const std::string token = stop_token();
  context.out << fmt::format("::stop-commands::{}\n", token) << std::flush;
  RunOutcome outcome = options.command == "watch"   ? execute_watch(options, context, std::move(*config))
                       : options.command == "check" ? execute_check(options, context, std::move(*config))
                                                    : execute_run(options, context, std::move(*config));
  context.out << fmt::format("::{}::\n", token);
  if (!outcome.ran) {
    context.out << error_command("probewatch", "the run stopped early; see the messages above");
    return outcome.exit_code;
  }
  const RunReport& report = outcome.report;

  context.out << evidence_groups(report);
  context.out << annotation_commands(report);

  // The status page is written from what the run left on the tracker, so it shows this run.
  int exit_code = outcome.exit_code;
  if (!inputs->status_page.empty() && !options.dry_run) {
    Options page = options;
    page.command = "status-page";
    page.config_given = true;
    page.out = inputs->status_page;
    const int written = command_status_page(page, context);
    if (written != k_exit_ok) {
      context.out << error_command("probewatch", "the status page was not written; see the messages above");
      exit_code = exit_code == k_exit_ok ? written : exit_code;
    }
  }

  if (const auto path = lookup(context.env, "GITHUB_OUTPUT")) {
    std::string outputs = output_entry("failing", std::to_string(report.failing()));
    outputs += output_entry("status-page", inputs->status_page.empty() || options.dry_run ? "" : inputs->status_page);
    outputs += output_entry("opened", numbers_of(report, {ActionKind::create, ActionKind::reopen}));
    outputs += output_entry("closed", numbers_of(report, {ActionKind::close}));
    outputs += output_entry("report", options.report);
    if (auto written = context.files.append(*path, outputs); !written) {
      context.out << error_command("probewatch", written.error().message);
    }
  }
  if (const auto path = lookup(context.env, "GITHUB_STEP_SUMMARY")) {
    if (auto written = context.files.append(*path, job_summary(report)); !written) {
      context.out << error_command("probewatch", written.error().message);
    }
  }
  return exit_code;
}

}  // namespace pw
