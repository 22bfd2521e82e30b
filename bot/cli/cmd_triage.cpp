#include <bot/cli/commands.hpp>
#include <bot/cli/run_outcome.hpp>
#include <bot/cli/tracker_setup.hpp>
#include <bot/core/text.hpp>
#include <bot/render/issue_writer.hpp>
#include <bot/render/markdown.hpp>
#include <bot/incidents/sync_state.hpp>
#include <bot/triage/triage.hpp>

#include <github_client/iso8601.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>

namespace pw {

namespace {

std::string one_line(std::string text, std::size_t max) {
  std::replace(text.begin(), text.end(), '\n', ' ');
  text = sanitize_utf8(text);
  return text.size() > max ? std::string(utf8_prefix(text, max)) + "…" : text;
}

Millis age_of(const github::Issue& issue, TimePoint now) {
  const auto created = github::parse_iso8601(issue.created_at);
  return created ? std::chrono::duration_cast<Millis>(now - *created) : Millis(0);
}

// Closes one issue: a comment first, then the state change, as the bot always does.
bool close_issue(Tracker& tracker, int number, const std::string& comment, const std::string& reason,
                 const Options& options, const std::string& line, AppContext& context, bool& failed) {
  context.out << (options.dry_run ? "would " : "") << line << "\n";
  if (options.dry_run) {
    return true;
  }
  if (auto done = tracker.comment(number, comment); !done) {
    context.err << fmt::format("probewatch: could not comment on #{}: {}\n", number, done.error().to_string());
    failed = true;
    return false;
  }
  github::IssueUpdate change;
  change.state = "closed";
  change.state_reason = reason;
  if (auto closed = tracker.update(number, change); !closed) {
    context.err << fmt::format("probewatch: could not close #{}: {}\n", number, closed.error().to_string());
    failed = true;
    return false;
  }
  return true;
}

void print_listing(const std::vector<ManagedIncident>& incidents, const Trackers& trackers, const Options& options,
                   const std::string& label, AppContext& context) {
  const TimePoint now = context.clock.now();
  if (options.json) {
    nlohmann::json out = nlohmann::json::array();
    for (const ManagedIncident& incident : incidents) {
      out.push_back({{"issue", incident.issue.number},
                     {"check", incident.state.check},
                     {"state", incident.issue.state},
                     {"title", incident.issue.title},
                     {"age_seconds", age_of(incident.issue, now).count() / 1000},
                     {"runs_failed", incident.state.runs_failed},
                     {"last_evidence", incident.state.reason},
                     {"url", incident.issue.html_url}});
    }
    context.out << out.dump(2) << "\n";
    return;
  }
  if (incidents.empty()) {
    context.out << fmt::format("no open incidents labeled \"{}\" in {}\n", label,
                               trackers.by_repo.begin()->second->where());
    return;
  }
  std::size_t check_width = 5;
  for (const ManagedIncident& incident : incidents) {
    check_width = std::max(check_width, incident.state.check.size());
  }
  context.out << fmt::format("{:<7}{:<{}}  {:<8}{:<6}{}\n", "ISSUE", "CHECK", check_width, "AGE", "RUNS",
                             "LAST EVIDENCE");
  for (const ManagedIncident& incident : incidents) {
    context.out << fmt::format("{:<7}{:<{}}  {:<8}{:<6}{}\n", fmt::format("#{}", incident.issue.number),
                               incident.state.check, check_width, format_duration(age_of(incident.issue, now)),
                               incident.state.runs_failed, one_line(incident.state.reason, 100));
  }
}

}  // namespace

int command_triage(const Options& options, AppContext& context) {
  std::optional<Config> config;
  // The default config, when it is there, names the bot label, so a non-default label is found
  // without --label or --config.
  const bool default_config = !options.config_given && options.label.empty() && context.files.read(options.config);
  if (options.recheck || options.config_given || default_config) {
    config = load_config_for(options, context);
    if (!config) {
      return k_exit_usage;
    }
  }
  std::optional<Millis> stale;
  if (!options.close_stale.empty()) {
    auto parsed = parse_duration(options.close_stale);
    if (!parsed) {
      context.err << fmt::format("probewatch: --close-stale: {}\n", parsed.error().message);
      return k_exit_usage;
    }
    stale = *parsed;
  }
  if (!options.legacy_label.empty() && !options.dedupe) {
    context.err << "probewatch: --legacy-label only applies with --dedupe\n";
    return k_exit_usage;
  }
  Redactor secrets = config ? config->secrets : Redactor{};
  auto trackers = make_trackers(options, {""}, secrets, context);
  if (!trackers) {
    return k_exit_usage;
  }
  Tracker& tracker = trackers->for_repo(std::nullopt);
  const std::string label = !options.label.empty() ? options.label : config ? config->issues.bot_label() : "probewatch";

  auto open = tracker.list_open(label);
  if (!open) {
    context.err << fmt::format("probewatch: could not list the open issues labeled \"{}\" in {}: {}\n", label,
                               tracker.where(), open.error().to_string());
    return k_exit_tracker;
  }
  if (!options.legacy_label.empty() && options.legacy_label != label) {
    auto legacy = tracker.list_open(options.legacy_label);
    if (!legacy) {
      context.err << fmt::format("probewatch: could not list the open issues labeled \"{}\": {}\n",
                                 options.legacy_label, legacy.error().to_string());
      return k_exit_tracker;
    }
    for (github::Issue& issue : *legacy) {
      const bool known =
          std::any_of(open->begin(), open->end(), [&](const auto& o) { return o.number == issue.number; });
      if (!known) {
        open->push_back(std::move(issue));
      }
    }
  }
  // Markers are believed only from the identity probewatch writes as (and the config's
  // trusted_authors): a person's issue that carries a copied marker is never closed or rechecked.
  Ownership owner{label, {}, {}, {}, config ? config->issues.trusted_authors : IssuePolicy{}.trusted_authors};
  *open = without_untrusted_markers(std::move(*open), owner, tracker);
  const auto selected = [&](int number) { return options.issue == 0 || options.issue == number; };
  bool failed = false;
  bool acted = false;
  const TemplateSet templates =
      config ? load_templates_for(*config, context).value_or(TemplateSet::defaults()) : TemplateSet::defaults();
  RunInfo run;
  run.now = context.clock.now();
  run.server_url = trackers->server_url;
  IssueWriter writer(templates, secrets, run);
  std::vector<int> closed;

  if (options.dedupe) {
    acted = true;
    const auto groups =
        find_duplicates(*open, options.legacy_label.empty() ? std::nullopt : std::optional(options.legacy_label));
    for (const DuplicateGroup& group : groups) {
      for (const github::Issue& duplicate : group.duplicates) {
        if (!selected(duplicate.number) && !selected(group.keep.number)) {
          continue;
        }
        const std::string comment = fmt::format(
            "Duplicate of #{}: it reports the same thing (\"{}\"). Closed by `probewatch triage --dedupe`, which keeps "
            "the oldest open issue.",
            group.keep.number, escape_markdown(secrets.redact(group.key)));
        if (close_issue(
                tracker, duplicate.number, comment, "duplicate", options,
                fmt::format("close #{} as a duplicate of #{} ({})", duplicate.number, group.keep.number, group.key),
                context, failed)) {
          closed.push_back(duplicate.number);
        }
      }
    }
    if (groups.empty()) {
      context.out << "no duplicates\n";
    }
  }

  std::vector<ManagedIncident> incidents;
  for (ManagedIncident& incident : managed_incidents(*open)) {
    if (selected(incident.issue.number) &&
        std::find(closed.begin(), closed.end(), incident.issue.number) == closed.end()) {
      incidents.push_back(std::move(incident));
    }
  }

  if (options.recheck) {
    acted = true;
    std::vector<Check> checks;
    for (const ManagedIncident& incident : incidents) {
      const auto check = std::find_if(config->checks.begin(), config->checks.end(),
                                      [&](const Check& c) { return c.id == incident.state.check; });
      if (check == config->checks.end()) {
        context.out << fmt::format("#{} ({}): its check is not in {}; left open\n", incident.issue.number,
                                   incident.state.check, config->path);
      } else if (std::none_of(checks.begin(), checks.end(), [&](const Check& c) { return c.id == check->id; })) {
        checks.push_back(*check);
      }
    }
    const auto results = probe_with_progress(*config, checks, options, context);
    for (const ManagedIncident& incident : incidents) {
      const auto result = std::find_if(results.begin(), results.end(),
                                       [&](const CheckResult& r) { return r.id == incident.state.check; });
      if (result == results.end()) {
        continue;
      }
      if (!result->ok) {
        context.out << fmt::format("#{} ({}): still failing\n", incident.issue.number, incident.state.check);
        continue;
      }
      const Check& check =
          *std::find_if(checks.begin(), checks.end(), [&](const Check& c) { return c.id == result->id; });
      const std::vector<Hint> no_hints;
      Action action{ActionKind::close, check.id, incident.issue.number, incident.state, CommentReason::recovered};
      auto comment = writer.comment(action, {check, *result, incident.state, no_hints, 1});
      if (!comment) {
        context.err << "probewatch: " << comment.error().message << "\n";
        failed = true;
        continue;
      }
      if (close_issue(tracker, incident.issue.number, *comment, "completed", options,
                      fmt::format("close #{} ({}): recovered", incident.issue.number, check.id), context, failed)) {
        closed.push_back(incident.issue.number);
      }
    }
  }

  if (stale) {
    acted = true;
    for (const ManagedIncident& incident : incidents) {
      const Millis age = age_of(incident.issue, run.now);
      if (age < *stale || std::find(closed.begin(), closed.end(), incident.issue.number) != closed.end()) {
        continue;
      }
      const std::string comment = fmt::format(
          "Closing as stale: this incident has been open for {}, longer than `--close-stale {}`. The check `{}` is muted "
          "until it passes again.",
          format_duration(age), options.close_stale, incident.state.check);
      if (close_issue(tracker, incident.issue.number, comment, "not_planned", options,
                      fmt::format("close #{} ({}): stale, open for {}", incident.issue.number, incident.state.check,
                                  format_duration(age)),
                      context, failed)) {
        closed.push_back(incident.issue.number);
      }
    }
  }

  if (!acted) {
    print_listing(incidents, *trackers, options, label, context);
  }
  if (auto committed = trackers->commit(); !committed) {
    context.err << "probewatch: " << secrets.apply(committed.error().message) << "\n";
    failed = true;
  }
  return failed ? k_exit_tracker : k_exit_ok;
}

}  // namespace pw
