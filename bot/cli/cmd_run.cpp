#include <bot/cli/commands.hpp>
#include <bot/cli/run_outcome.hpp>
#include <bot/cli/tracker_setup.hpp>
#include <bot/cli/watch_signals.hpp>
#include <bot/action/deployment_event.hpp>
#include <bot/config/shard.hpp>
#include <bot/diagnose/diagnose.hpp>
#include <bot/expect/expectations.hpp>
#include <bot/diagnose/vantage_hint.hpp>
#include <bot/report/console.hpp>
#include <bot/incidents/sync.hpp>
#include <bot/probe/probe_all.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <deque>
#include <set>
#include <filesystem>

namespace pw {

// The config instance's identity: `id:` when set, else the config file's path relative to the
// repository root (GITHUB_WORKSPACE in Actions, else the nearest folder holding .git), so the same
// file gives the same identity wherever the run starts.
std::string config_identity(const Config& config, const Environment& env) {
  if (config.id) {
    return *config.id;
  }
  namespace fs = std::filesystem;
  std::error_code error;
  const fs::path file = fs::weakly_canonical(fs::absolute(config.path, error), error);
  auto inside = [&](const fs::path& root) -> std::optional<std::string> {
    const fs::path relative = file.lexically_relative(fs::weakly_canonical(root, error));
    if (relative.empty() || *relative.begin() == "..") {
      return std::nullopt;
    }
    return relative.generic_string();
  };
  if (const auto workspace = lookup(env, "GITHUB_WORKSPACE")) {
    if (auto relative = inside(*workspace)) {
      return *relative;
    }
  }
  for (fs::path folder = file.parent_path(); !folder.empty(); folder = folder.parent_path()) {
    if (fs::exists(folder / ".git", error)) {
      if (auto relative = inside(folder)) {
        return *relative;
      }
    }
    if (folder == folder.root_path()) {
      break;
    }
  }
  return file.filename().generic_string();
}

namespace {

ReconcilePolicy policy_of(const Config& config, const Options& options, const Shard& shard, const Environment& env) {
  ReconcilePolicy policy = reconcile_policy(config.issues);
  policy.config = config_identity(config, env);
  policy.keep_orphans = options.keep_orphans;
  policy.scope = shard.scope();
  policy.schedule = config.schedule;
  if (options.command == "watch") {
    policy.record_every = k_watch_relist;  // its quiet cycles write nothing
  }
  return policy;
}

int exit_code_of(const RunReport& report, const Options& options) {
  if (!report.errors.empty()) {
    return k_exit_tracker;
  }
  if (options.fail_on == "never") {
    return k_exit_ok;
  }
  if (options.fail_on == "new") {
    const bool opened = std::any_of(report.actions.begin(), report.actions.end(), [](const AppliedAction& a) {
      return a.kind == ActionKind::create || a.kind == ActionKind::reopen;
    });
    return opened ? k_exit_failing : k_exit_ok;
  }
  return report.failing() == 0 ? k_exit_ok : k_exit_failing;
}

// With a local tracker there is no web page to look at: print what was opened and closed.
void print_local_changes(const RunReport& report, Trackers& trackers, AppContext& context) {
  for (const AppliedAction& action : report.actions) {
    if (action.issue == 0 ||
        (action.kind != ActionKind::create && action.kind != ActionKind::reopen && action.kind != ActionKind::close)) {
      continue;
    }
    auto issue = trackers.local_file->get(action.issue);
    auto comments = trackers.local_file->comments(action.issue);
    if (!issue || !comments) {
      continue;
    }
    const std::string rule(72, '-');
    context.out << fmt::format("\n{}\n#{} [{}{}] {}\n{}\n", rule, issue->number, issue->state,
                               issue->state_reason.empty() ? "" : ": " + issue->state_reason, issue->title, rule);
    if (action.kind == ActionKind::create) {
      context.out << issue->body << "\n";
    } else if (!comments->empty()) {
      context.out << comments->back().body << "\n";
    }
  }
}

// The repository a check's issues live in ("" for the local tracker).
std::string home_of(const Check& check, const Trackers& trackers) {
  return trackers.local ? "" : check.repo.value_or(trackers.default_repo);
}

bool network_level(const CheckResult& result) {
  switch (result.evidence.failure) {
    case TransportFailure::dns:
    case TransportFailure::refused:
    case TransportFailure::timeout:
    case TransportFailure::reset:
    case TransportFailure::other: return true;
    default: return false;
  }
}

// When every check failed at the network level, probes the control URL too. Returns the control's
// failure when it failed the same way: the runner's own network is down, not the services.
std::optional<CheckResult> runner_network_down(const Config& config, const RunReport& report, AppContext& context) {
  if (!config.control || report.results.empty() ||
      !std::all_of(report.results.begin(), report.results.end(), network_level)) {
    return std::nullopt;
  }
  Check control;
  control.id = "control";
  control.name = "control";
  control.url = *config.control;
  control.retries = 1;
  control.retry_delay = Millis(1000);
  const std::vector<CheckResult> probed = probe_all({control}, context.prober, context.clock, {1});
  if (probed.empty() || probed[0].ok || !network_level(probed[0])) {
    return std::nullopt;
  }
  return probed[0];
}

// Asks the RDAP server once for each domain the checks' domain_warning names, unless `watch`
// read it less than k_rdap_refresh ago; answers land in setup.rdap_answers.
void read_registrations(RunSetup& setup, AppContext& context) {
  const Config& config = *setup.config;
  const TimePoint now = context.clock.now();
  std::vector<Check> queries;
  std::set<std::string> asked;
  for (const Check& check : setup.checks) {
    if (!check.domain_warning || !check.domain || !asked.insert(*check.domain).second) {
      continue;
    }
    const auto known = setup.rdap_answers.find(*check.domain);
    if (known != setup.rdap_answers.end() && now - known->second.first < k_rdap_refresh) {
      continue;
    }
    Check query;
    query.id = *check.domain;
    query.name = *check.domain;
    query.url = config.rdap_server + "domain/" + *check.domain;
    query.headers = {{"Accept", "application/rdap+json"}};
    query.forward_headers = true;  // rdap.org redirects to the registry's server; Accept is no secret
    query.timeout = Millis(15'000);
    query.retries = 1;
    query.retry_delay = Millis(2'000);
    query.max_body_bytes = 256 * 1024;
    queries.push_back(std::move(query));
  }
  if (queries.empty()) {
    return;
  }
  const std::vector<CheckResult> answers = probe_all(queries, context.prober, context.clock, {config.concurrency});
  for (std::size_t i = 0; i < answers.size() && i < queries.size(); ++i) {
    setup.rdap_answers.insert_or_assign(queries[i].id, std::pair{now, answers[i].evidence});
  }
}

}  // namespace

ChecksByHost group_by_host(const std::vector<Check>& checks, const std::map<std::string, CheckResult>& results) {
  ChecksByHost hosts;
  for (const Check& check : checks) {
    if (const auto found = results.find(check.id); found != results.end()) {
      hosts[host_of(check.url)].emplace_back(&check, &found->second);
    }
  }
  return hosts;
}

std::vector<Hint> hints_for(const Check& check, const CheckResult& result, const HealthyFingerprint* healthy,
                            const ChecksByHost& hosts) {
  if (!check.early_warning.empty()) {
    return {};  // the warning says what to do; the service itself is fine
  }
  std::optional<Hint> split;
  if (result.vantages) {
    split = vantage_hint(result.vantages->rows);
    if (result.undecided()) {
      // No evidence of its own: only how the vantages split.
      return split ? std::vector<Hint>{*split} : std::vector<Hint>{};
    }
  }
  DiagnosisInput input{check, result};
  if (healthy != nullptr) {
    input.healthy = *healthy;
  }
  if (const auto same = hosts.find(host_of(check.url)); same != hosts.end()) {
    for (const auto& entry : same->second) {
      if (entry.first->id != check.id) {
        input.same_host.push_back(entry);
      }
    }
  }
  std::vector<Hint> hints = diagnose(input);
  if (split) {
    hints.insert(hints.begin(), *split);
  }
  return hints;
}

std::optional<RunSetup> prepare_run(const Options& options, AppContext& context, std::optional<Config> loaded) {
  if (!loaded) {
    loaded = load_config_for(options, context);
    if (!loaded) {
      return std::nullopt;
    }
  }
  RunSetup setup;
  setup.config = std::make_unique<Config>(std::move(*loaded));
  Config& config = *setup.config;
  auto templates = load_templates_for(config, context);
  if (!templates) {
    return std::nullopt;
  }
  setup.templates.emplace(std::move(*templates));
  if (!options.shard.empty()) {
    auto parsed = parse_shard(options.shard);
    if (!parsed) {
      context.err << fmt::format("probewatch: {}\n", parsed.error().message);
      return std::nullopt;
    }
    setup.shard = *parsed;
  }
  std::vector<std::string> repos;
  for (const Check& check : config.checks) {
    if (setup.shard.contains(check.id)) {
      setup.checks.push_back(check);
      repos.push_back(check.repo.value_or(""));
    }
  }
  auto deployment = deployment_of_run(context.env, context.files);
  if (!deployment) {
    context.err << config.secrets.apply(fmt::format("probewatch: {}\n", deployment.error().message));
    return std::nullopt;
  }
  setup.deployment = std::move(*deployment);
  if (setup.deployment) {
    const std::size_t expecting = expect_deployment(setup.checks, *setup.deployment);
    context.out << deployment_text(*setup.deployment, expecting, config.secrets);
  }
  setup.trackers = make_trackers(options, repos, config.secrets, context);
  if (!setup.trackers) {
    return std::nullopt;
  }
  return setup;
}

std::optional<int> run_cycle(RunSetup& setup, const Options& options, AppContext& context, RunReport& report,
                             const CycleControl& control) {
  Config& config = *setup.config;
  const std::vector<Check>& checks = setup.checks;
  const Shard& shard = setup.shard;
  Trackers* trackers = &*setup.trackers;
  const std::size_t requests_before = trackers->requests();
  report.config = &config;
  report.generated_at = context.clock.now();
  report.dry_run = options.dry_run;
  const bool gathered = options.reports.empty() ? probe_and_wait(config, checks, options, context, report)
                                                : read_vantage_results(config, checks, options, context, report);
  if (!gathered) {
    return std::nullopt;
  }
  std::map<std::string, CheckResult> by_id;
  for (const CheckResult& result : report.results) {
    by_id.emplace(result.id, result);
  }
  // The fan-in run probes nothing: its runner's network says nothing about the vantages'.
  const auto control_failure = options.reports.empty() ? runner_network_down(config, report, context) : std::nullopt;
  if (control_failure) {
    context.out << results_table(report);
    context.err << config.secrets.apply(fmt::format(
        "probewatch: the runner's own network looks down: every check and the control URL failed at the network "
        "level (control: {}). Filing nothing; exit code 4.\n",
        control_failure->evidence.error));
    report.network_down = true;
    return write_report(options, report, context) ? k_exit_network_down : k_exit_usage;
  }
  if (control.begin_writes && !control.begin_writes()) {
    return std::nullopt;  // stopping: nothing was written this cycle
  }

  RunInfo run;
  run.server_url = trackers->server_url;
  run.repository = lookup(context.env, "GITHUB_REPOSITORY").value_or("");
  run.run_id = lookup(context.env, "GITHUB_RUN_ID").value_or("");
  run.now = context.clock.now();
  IssueWriter writer(*setup.templates, config.secrets, run);

  const ChecksByHost hosts = group_by_host(checks, by_id);
  report.deployment = setup.deployment;
  const Pauses deploying =
      setup.deployment ? deploying_checks(checks, report.results, *setup.deployment, context.clock.now()) : Pauses{};
  // One sync per repository; each lists its incidents once.
  std::map<std::string, std::string> home_by_id;
  for (const Check& check : config.checks) {
    home_by_id.emplace(check.id, home_of(check, *trackers));
  }
  std::map<std::string, std::vector<const Check*>> groups;
  for (const Check& check : checks) {
    groups[home_of(check, *trackers)].push_back(&check);
  }
  // Early warnings: a check with cert_warning or domain_warning has an early-warning incident of
  // its own for each, kept like any check's and next to its check in the same repository.
  read_registrations(setup, context);
  std::deque<Check> warnings;
  for (const Check& check : checks) {
    const auto probed = by_id.find(check.id);
    if (probed == by_id.end()) {
      continue;
    }
    std::vector<EarlyWarning> made;
    if (auto warning = certificate_warning(check, probed->second, context.clock.now())) {
      made.push_back(std::move(*warning));
    }
    const auto answer = setup.rdap_answers.find(check.domain.value_or(""));
    const Evidence* evidence = answer != setup.rdap_answers.end() ? &answer->second.second : nullptr;
    if (auto warning = domain_warning(check, evidence, context.clock.now())) {
      made.push_back(std::move(*warning));
    }
    for (EarlyWarning& warning : made) {
      if (!warning.problem.empty()) {
        report.warnings.push_back(std::move(warning.problem));
      }
      by_id.insert_or_assign(warning.check.id, std::move(warning.result));
      warnings.push_back(std::move(warning.check));
      groups[home_of(check, *trackers)].push_back(&warnings.back());
    }
  }
  for (const auto& [repo, group] : groups) {
    SyncRequest request;
    request.checks = group;
    request.results = &by_id;
    request.diagnose = [&](const Check& check, const CheckResult& result, const HealthyFingerprint* healthy) {
      return hints_for(check, result, healthy, hosts);
    };
    request.issues = &config.issues;
    request.policy = policy_of(config, options, shard, context.env);
    request.trusted_authors = config.issues.trusted_authors;
    request.dry_run = options.dry_run;
    request.stopping = control.stopping;
    request.maintenance = &config.maintenance;
    request.time_zones = &config.time_zones;
    if (repo == home_of(Check{}, *trackers)) {  // the run's own repository keeps the late-runs incident
      request.late_after = config.issues.late_after;
      request.runs_url = run.repository.empty() ? "" : fmt::format("{}/{}/actions", run.server_url, run.repository);
    }
    request.deploying = &deploying;
    request.deployment = setup.deployment ? &*setup.deployment : nullptr;
    // An incident belongs to this sync when its check hashes to this shard and, if the check is
    // still configured, its issues live in this repository (a check routed elsewhere is no orphan).
    request.in_scope = [&, repo = repo](const std::string& id) {
      const std::string base(base_check_id(id));  // an early warning goes with its check
      const auto home = home_by_id.find(base);
      return shard.contains(base) && (home == home_by_id.end() || home->second == repo);
    };
    const std::optional<std::string> target = repo.empty() ? std::nullopt : std::optional(repo);
    SyncResult synced = sync_incidents(trackers->for_repo(target), writer, request, context.clock);
    report.actions.insert(report.actions.end(), synced.actions.begin(), synced.actions.end());
    report.errors.insert(report.errors.end(), synced.errors.begin(), synced.errors.end());
    report.warnings.insert(report.warnings.end(), synced.warnings.begin(), synced.warnings.end());
    report.hints.insert(synced.hints.begin(), synced.hints.end());
    if (synced.gap) {
      report.gap = synced.gap;
    }
    for (const auto& [id, pause] : synced.paused) {
      (pause.deploy ? report.deploying : report.maintenance).emplace(id, pause);
    }
    for (const auto& [id, number] : synced.incidents) {
      const auto url = synced.incident_urls.find(id);
      report.incident_urls[id] = url != synced.incident_urls.end() ? url->second : trackers->issue_url(target, number);
    }
    if (control.stopping && control.stopping()) {
      break;
    }
  }
  if (auto committed = trackers->commit(); !committed) {
    report.errors.push_back(committed.error().message);
  }
  report.api_requests = trackers->requests() - requests_before;

  if (!control.quiet || !control.quiet(report)) {
    context.out << results_table(report);
    context.out << "\n" << actions_text(report) << changes_summary(report);
    if (!report.maintenance.empty()) {
      context.out << "\n" << maintenance_text(report);
    }
    if (!report.deploying.empty()) {
      context.out << "\n" << deploying_text(report);
    }
  }
  if (trackers->local && !options.dry_run) {
    if (options.verbose) {
      print_local_changes(report, *trackers, context);
    } else if (!report.actions.empty()) {
      context.out << fmt::format(
          "a whole incident: probewatch show NUMBER --tracker local:{} (or run with --verbose)\n",
          trackers->local_path);
    }
  }
  for (const std::string& warning : report.warnings) {
    context.err << "probewatch: warning: " << config.secrets.apply(warning) << "\n";
  }
  for (const std::string& error : report.errors) {
    context.err << "probewatch: " << config.secrets.apply(error) << "\n";
  }
  return write_report(options, report, context) ? exit_code_of(report, options) : k_exit_usage;
}

RunOutcome execute_run(const Options& options, AppContext& context, std::optional<Config> loaded) {
  RunOutcome outcome;
  if (!vantage_options_valid(options, context)) {
    return outcome;
  }
  auto setup = prepare_run(options, context, std::move(loaded));
  if (!setup) {
    return outcome;
  }
  const std::optional<int> exit_code = run_cycle(*setup, options, context, outcome.report, {});
  outcome.ran = exit_code.has_value();
  outcome.exit_code = exit_code.value_or(k_exit_usage);
  outcome.config = std::move(setup->config);
  return outcome;
}

int command_run(const Options& options, AppContext& context) { return execute_run(options, context).exit_code; }

}  // namespace pw
