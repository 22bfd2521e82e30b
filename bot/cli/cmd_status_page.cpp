// probewatch status-page --out DIR: the I/O edge. It reads the open issues once (the dashboard's
// memory and the open incidents come with that list), builds the page with the pure renderer
// (bot/render/status_page) and writes index.html and status.json.
#include <bot/cli/commands.hpp>
#include <bot/cli/run_outcome.hpp>
#include <bot/cli/tracker_setup.hpp>
#include <bot/incidents/sync_state.hpp>
#include <bot/render/status_page.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <set>

namespace pw {

namespace {

// Joins the dashboards of one config (one per shard) into one memory.
void merge_into(DashboardState& all, const DashboardState& part) {
  if (all.since == TimePoint{} || (part.since != TimePoint{} && part.since < all.since)) {
    all.since = part.since;
  }
  all.checks.insert(part.checks.begin(), part.checks.end());
  all.history.insert(all.history.end(), part.history.begin(), part.history.end());
  all.gaps.insert(all.gaps.end(), part.gaps.begin(), part.gaps.end());
  all.response.open_hour = std::max(all.response.open_hour, part.response.open_hour);
  all.response.checks.insert(part.response.checks.begin(), part.response.checks.end());
}

// The maintenance windows of the config that cover now or start within the next week.
std::vector<StatusMaintenance> upcoming_windows(const Config& config, TimePoint now) {
  std::vector<StatusMaintenance> windows;
  for (const MaintenanceWindow& window : config.maintenance) {
    const auto zone = config.time_zones.find(window.timezone);
    const TimeZone utc = TimeZone::utc();
    const TimeZone& in = zone != config.time_zones.end() ? zone->second : utc;
    TimeSpans spans = window_spans(window, in, {now, now + std::chrono::hours(24 * 7)});
    if (const auto active = active_span(window, in, now)) {
      spans.push_back(*active);
    }
    spans = merged(spans);
    std::vector<std::string> names;
    for (const Check& check : config.checks) {
      if (!window.checks.empty() && window.covers(check.id)) {
        names.push_back(check.name);
      }
    }
    const std::string covered = window.checks.empty() ? "all checks" : fmt::format("{}", fmt::join(names, ", "));
    for (const TimeSpan& span : spans) {
      if (span.end > now) {
        windows.push_back({window.name, covered, span});
      }
    }
  }
  std::sort(windows.begin(), windows.end(),
            [](const StatusMaintenance& a, const StatusMaintenance& b) { return a.span.start < b.span.start; });
  return windows;
}

}  // namespace

int command_status_page(const Options& options, AppContext& context) {
  std::optional<Config> config;
  // The default config, when it is there, names the label, the checks and the windows.
  if (options.config_given || context.files.read(options.config)) {
    config = load_config_for(options, context);
    if (!config) {
      return k_exit_usage;
    }
  }
  Redactor secrets = config ? config->secrets : Redactor{};
  auto trackers = make_trackers(options, {""}, secrets, context);
  if (!trackers) {
    return k_exit_usage;
  }
  Tracker& tracker = trackers->for_repo(std::nullopt);
  const std::string label = config ? config->issues.bot_label() : "probewatch";
  auto open = tracker.list_open(label);
  if (!open) {
    context.err << secrets.apply(fmt::format("probewatch: could not list the open issues labeled \"{}\" in {}: {}\n",
                                             label, tracker.where(), open.error().to_string()));
    return k_exit_tracker;
  }
  Ownership owner{label,
                  config ? config_identity(*config, context.env) : std::string(),
                  {},
                  {},
                  config ? config->issues.trusted_authors : IssuePolicy{}.trusted_authors};
  *open = without_untrusted_markers(std::move(*open), owner, tracker);

  StatusSource source;
  source.now = context.clock.now();
  std::set<std::string> seen;  // check ids known without a config
  std::size_t dashboards = 0;
  for (const github::Issue& issue : *open) {
    const auto marker = parse_marker(issue.body);
    if (!marker) {
      continue;
    }
    if (const auto* dashboard = std::get_if<DashboardState>(&*marker)) {
      if (!config || dashboard->config.empty() || dashboard->config == owner.config) {
        merge_into(source.dashboard, *dashboard);
        ++dashboards;
      }
    } else if (const auto* incident = std::get_if<IncidentState>(&*marker)) {
      if (!config || owner.owns(*incident)) {
        source.open.emplace_back(issue.number, *incident);
        seen.insert(incident->check);
      }
    }
  }
  if (dashboards == 0) {
    context.err << fmt::format(
        "probewatch: warning: no dashboard labeled \"{}\" in {}{}; the page shows no history until `probewatch run` "
        "has made one\n",
        label, tracker.where(), config ? fmt::format(" for config {}", owner.config) : std::string());
  }
  if (config) {
    std::vector<std::string> ids;
    for (const Check& check : config->checks) {
      source.checks.emplace_back(check.id, check.name);
      ids.push_back(check.id);
    }
    const TimeSpan past{source.now - k_history_days, source.now};
    for (const MaintenanceWindow& window : config->maintenance) {
      const auto zone = config->time_zones.find(window.timezone);
      const TimeSpans spans =
          window_spans(window, zone != config->time_zones.end() ? zone->second : TimeZone::utc(), past);
      for (const std::string& id : ids) {
        if (window.covers(id)) {
          auto& list = source.maintenance[id];
          list.insert(list.end(), spans.begin(), spans.end());
        }
      }
    }
    source.paused = paused_by_windows(config->maintenance, config->time_zones, ids, source.now);
    source.windows = upcoming_windows(*config, source.now);
  } else {
    for (const auto& [id, memory] : source.dashboard.checks) {
      seen.insert(id);
    }
    for (const PastIncident& past : source.dashboard.history) {
      seen.insert(past.check);
    }
    for (const auto& [id, times] : source.dashboard.response.checks) {
      seen.insert(id);
    }
    for (const std::string& id : seen) {
      source.checks.emplace_back(id, id);
    }
  }
  // Open maintenance issues (with the bot label, as run reads them) pause the checks they name.
  const std::string maintenance_label = config ? config->issues.maintenance_label : IssuePolicy{}.maintenance_label;
  for (const github::Issue& issue : *open) {
    if (!has_label(issue.labels, maintenance_label) || parse_marker(issue.body)) {
      continue;
    }
    if (const auto named = maintenance_checks(issue.body)) {
      for (const auto& [id, name] : source.checks) {
        if (named->empty() || std::find(named->begin(), named->end(), id) != named->end()) {
          source.paused.emplace(id, Pause{fmt::format("#{}", issue.number), TimePoint{}, issue.number});
        }
      }
    }
  }
  source.issue_url = [&](int number) { return trackers->issue_url(std::nullopt, number); };

  StatusPage page = status_page(source, secrets);
  if (!options.title.empty()) {
    page.title = options.title;
  }
  const std::string folder = options.out.ends_with('/') ? options.out : options.out + "/";
  for (const auto& [name, text] :
       {std::pair{"index.html", status_page_html(page)}, std::pair{"status.json", status_page_json(page)}}) {
    if (auto written = context.files.write(folder + name, secrets.apply(text)); !written) {
      context.err << fmt::format("probewatch: {}; pass --out a folder you can write\n", written.error().message);
      return k_exit_usage;
    }
  }
  context.out << fmt::format("wrote {}index.html and {}status.json: {} checks, {} incidents\n", folder, folder,
                             page.checks.size(), page.incidents.size());
  return k_exit_ok;
}

}  // namespace pw
