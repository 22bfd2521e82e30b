#include <bot/render/issue_writer.hpp>

#include <bot/core/text.hpp>
#include <bot/core/timestamp.hpp>
#include <bot/reconcile/run_history.hpp>
#include <bot/reconcile/uptime.hpp>
#include <bot/render/markdown.hpp>
#include <bot/render/response_chart.hpp>

#include <fmt/format.h>

#include <algorithm>

namespace pw {

namespace {

using Status = CheckMemory::Status;

const char* icon_of(Status status) {
  switch (status) {
    case Status::passing: return "🟢";
    case Status::pending: return "🟡";
    case Status::failing: return "🔴";
    case Status::muted: return "🔕";
  }
  return "";
}

int rank_of(Status status) {
  switch (status) {
    case Status::failing: return 0;
    case Status::pending: return 1;
    case Status::muted: return 2;
    case Status::passing: return 3;
  }
  return 3;
}

// "in maintenance (Weekly deploy, until 2026-12-06 03:00 UTC)", with the state underneath when it
// is not passing, so a failing check in maintenance is not mistaken for a healthy one.
std::string maintenance_state(const DashboardRow& row, const Redactor& secrets) {
  std::string text = row.pause->deploy ? "deploying (" : "in maintenance (";
  text += escape_markdown(secrets.redact(row.pause->by));
  if (row.pause->until != TimePoint{}) {
    text += row.pause->deploy ? ", grace until " : ", until ";
    text += format_human_time(row.pause->until);
  }
  text += ")";
  if (row.failing_now || row.memory.status != Status::passing) {
    text += ", ";
    text += row.failing_now && row.memory.status == Status::passing ? "failing" : to_string(row.memory.status);
  }
  return text;
}

// The State cell: the remembered state (or the maintenance that pauses the check), then, in fan-in
// runs, the vantages that fail though they may file nothing.
std::string state_text(const DashboardRow& row, const Redactor& secrets) {
  std::string text = row.pause ? maintenance_state(row, secrets) : to_string(row.memory.status);
  if (!row.vantages.empty()) {
    text.append(" (").append(escape_markdown(secrets.redact(row.vantages))).append(")");
  }
  return text;
}

// What the dashboard may leave out when its memory would not fit one issue, least needed first,
// with what is lost (said in the run's warning).
struct Giveaway {
  const char* what;
  bool (*drop)(const std::pair<const std::string, CheckMemory>& entry);
};

constexpr Giveaway k_giveaways[] = {
    {"the reopen windows of {} recovered checks (a new failure opens a new issue)",
     [](const auto& entry) { return entry.second.status == Status::passing; }},
    {"the failing-run counts of {} checks below failure_threshold (they count again from 1)",
     [](const auto& entry) { return entry.second.status == Status::pending; }},
    {"the incident numbers of {} failing checks (read again from the open issues)",
     [](const auto& entry) { return entry.second.status == Status::failing; }},
};

// The periods uptime is shown for.
// How many closed incidents the dashboard lists.
constexpr std::size_t k_history_shown = 10;

// How far back the dashboard's response-time charts reach (the memory keeps a week).
constexpr auto k_chart_window = std::chrono::hours(24);

// The response-time charts of the charted checks, slowest last hour first: name, the last hour's
// figures in words (the chart's lines are not told apart by colour alone) and the Mermaid block.
nlohmann::json response_charts(const ResponseHistory& response, const std::vector<DashboardRow>& rows,
                               const Redactor& secrets) {
  std::vector<std::pair<std::string, ChartSeries>> charted;
  for (const auto& [id, times] : response.checks) {
    ChartSeries series = series_within(times, response.open_hour, k_chart_window);
    if (!series.empty()) {
      charted.emplace_back(id, std::move(series));
    }
  }
  std::stable_sort(charted.begin(), charted.end(),
                   [](const auto& a, const auto& b) { return a.second.p95.back() > b.second.p95.back(); });
  nlohmann::json charts = nlohmann::json::array();
  for (const auto& entry : charted) {
    const std::string& id = entry.first;  // not a structured binding: clang 14 cannot capture one
    const auto& series = entry.second;
    const auto row = std::find_if(rows.begin(), rows.end(), [&](const DashboardRow& r) { return r.id == id; });
    const Redacted name = secrets.redact(row != rows.end() ? row->name : id);
    charts.push_back({{"name", escape_markdown(name)},
                      {"hour", format_human_time(series.hours.back())},
                      {"p50", series.p50.back()},
                      {"p95", series.p95.back()},
                      {"chart", std::string(trim(mermaid_chart(name, series)))}});
  }
  return charts;
}

// Shrinks `state` until its marker fits `room`; returns what was left out.
std::vector<std::string> fit_memory(DashboardState& state, std::size_t room) {
  std::vector<std::string> dropped;
  // The listing saves requests, nothing more: it goes first, and without a warning, since nothing
  // is lost (quiet runs then read every page of the list).
  if (format_marker(state).size() > room && state.listing) {
    state.listing.reset();
  }
  // The response times go first, and come back if what else gave way made room for them.
  ResponseHistory response;
  const bool set_aside = format_marker(state).size() > room;
  if (set_aside) {
    std::swap(response, state.response);
  }
  if (format_marker(state).size() > room && !state.history.empty()) {
    dropped.push_back(
        fmt::format("the history of {} closed incidents (uptime counts only open ones)", state.history.size()));
    state.history.clear();
  }
  if (format_marker(state).size() > room && !state.hosts.empty()) {
    dropped.push_back(
        fmt::format("the healthy fingerprints of {} hosts (diagnosis compares less)", state.hosts.size()));
    state.hosts.clear();
  }
  for (const Giveaway& giveaway : k_giveaways) {
    if (format_marker(state).size() <= room) {
      break;
    }
    const std::size_t before = state.checks.size();
    std::erase_if(state.checks, giveaway.drop);
    if (state.checks.size() != before) {
      dropped.push_back(fmt::format(fmt::runtime(giveaway.what), before - state.checks.size()));
    }
  }
  if (set_aside) {
    std::swap(response, state.response);
  }
  if (format_marker(state).size() > room && !state.response.checks.empty()) {
    dropped.insert(dropped.begin(),
                   fmt::format("the response-time history of {} charted checks (the charts start again)",
                               state.response.checks.size()));
    state.response = {};
  }
  return dropped;
}

}  // namespace

Expected<RenderedIssue> IssueWriter::dashboard(const DashboardState& state,
                                               const std::vector<DashboardRow>& rows) const {
  std::vector<const DashboardRow*> ordered;
  for (const DashboardRow& row : rows) {
    ordered.push_back(&row);
  }
  std::stable_sort(ordered.begin(), ordered.end(), [](const DashboardRow* a, const DashboardRow* b) {
    return rank_of(a->memory.status) < rank_of(b->memory.status);
  });
  // The memory comes first: it must fit, with room for the heading and a few rows.
  DashboardState kept = state;
  const std::vector<std::string> dropped = fit_memory(kept, k_max_issue_text - 8192);
  const std::string marker = format_marker(kept);
  std::size_t counts[4] = {0, 0, 0, 0};
  std::size_t in_maintenance = 0;
  std::size_t deploying = 0;  // failing within a deploy's grace: not counted as passing
  for (const DashboardRow* row : ordered) {
    const bool rolling = row->pause && row->pause->deploy;
    if (rolling && row->memory.status == Status::passing) {
      ++deploying;
    } else {
      ++counts[static_cast<int>(row->memory.status)];
    }
    in_maintenance += row->pause && !rolling ? 1 : 0;
  }
  // Uptime per check and overall, from the remembered outages, unknown time and maintenance, as of
  // the last 6-hour mark (as issues.refresh rewrites evidence): the figures, and so the body,
  // change at most four times a day, and only while an outage or a window is within a period.
  const TimePoint now = std::chrono::floor<std::chrono::hours>(m_run.now) -
                        std::chrono::floor<std::chrono::hours>(m_run.now).time_since_epoch() % std::chrono::hours(6);
  const TimeSpans unknown = unknown_spans(state, now);
  std::map<std::string, std::string> uptime_text;
  Uptime overall[k_uptime_periods.size()];
  for (const DashboardRow* row : ordered) {
    const TimeSpans down = outages_of(state, row->id, now);
    std::vector<std::string> figures;
    for (std::size_t p = 0; p < k_uptime_periods.size(); ++p) {
      const Uptime figure = uptime({now - k_uptime_periods[p].second, now}, down, unknown, row->maintenance);
      overall[p] += figure;
      figures.push_back(format_ratio(figure.ratio()));
    }
    uptime_text[row->id] = fmt::format("{}", fmt::join(figures, " · "));
  }
  nlohmann::json overall_json = nlohmann::json::array();
  for (std::size_t p = 0; p < k_uptime_periods.size(); ++p) {
    const Millis maintenance = overall[p].maintenance / std::max<std::size_t>(1, ordered.size());
    overall_json.push_back({{"period", k_uptime_periods[p].first},
                            {"uptime", format_ratio(overall[p].ratio())},
                            {"maintenance", maintenance > Millis::zero() ? nlohmann::json(format_duration(maintenance))
                                                                         : nlohmann::json(false)}});
  }
  nlohmann::json history = nlohmann::json::array();
  for (auto past = state.history.rbegin(); past != state.history.rend() && history.size() < k_history_shown; ++past) {
    const auto check =
        std::find_if(rows.begin(), rows.end(), [&](const DashboardRow& r) { return r.id == past->check; });
    history.push_back(
        {{"number", past->number},
         {"name", escape_markdown(m_secrets.redact(check != rows.end() ? check->name : past->check))},
         {"started", format_human_time(past->first_seen)},
         {"duration", format_duration(std::chrono::duration_cast<Millis>(past->closed - past->first_seen))},
         {"reason", past->reason.empty() ? "" : inline_code(m_secrets.redact(past->reason))}});
  }
  // Honest scheduling: the monitoring gaps of the last 24 hours (time when nothing was probed).
  const GapSummary gaps = gaps_within(kept.gaps, m_run.now - std::chrono::hours(24), m_run.now);
  const nlohmann::json gaps_view = gaps.count == 0 ? nlohmann::json(false)
                                                   : nlohmann::json{{"count", gaps.count},
                                                                    {"longest", format_duration(gaps.longest)},
                                                                    {"total", format_duration(gaps.total)}};
  const nlohmann::json charts = response_charts(kept.response, rows, m_secrets);
  // Rows are dropped from the end (passing checks) until the body fits GitHub's limit.
  std::size_t shown = ordered.size();
  while (true) {
    nlohmann::json table = nlohmann::json::array();
    for (std::size_t i = 0; i < shown; ++i) {
      const DashboardRow& row = *ordered[i];
      nlohmann::json entry = {{"icon", row.pause ? (row.pause->deploy ? "🚀" : "🔧") : icon_of(row.memory.status)},
                              {"id", row.id},
                              {"name", escape_markdown(m_secrets.redact(row.name))},
                              {"state", state_text(row, m_secrets)},
                              {"since", row.memory.since == TimePoint{} ? "" : format_human_time(row.memory.since)}};
      entry["incident"] = row.memory.incident != 0 ? nlohmann::json(row.memory.incident) : nlohmann::json(false);
      entry["uptime"] = uptime_text[row.id];
      table.push_back(std::move(entry));
    }
    nlohmann::json context = {
        {"rows", std::move(table)},
        {"scope", state.scope.empty() ? nlohmann::json(false) : nlohmann::json(state.scope)},
        {"passing", counts[static_cast<int>(Status::passing)]},
        {"pending", counts[static_cast<int>(Status::pending)]},
        {"failing", counts[static_cast<int>(Status::failing)]},
        {"muted", counts[static_cast<int>(Status::muted)]},
        {"gaps", gaps_view},
        {"maintenance", in_maintenance == 0 ? nlohmann::json(false) : nlohmann::json(in_maintenance)},
        {"deploying", deploying == 0 ? nlohmann::json(false) : nlohmann::json(deploying)},
        {"overall", overall_json},
        {"monitored_since",
         state.since == TimePoint{} ? nlohmann::json(false) : nlohmann::json(format_human_time(state.since))},
        {"charts", charts},
        {"has_charts", !charts.empty()},
        {"has_history", !history.empty()},
        {"history", history},
        {"omitted", shown < ordered.size() ? nlohmann::json(ordered.size() - shown) : nlohmann::json(false)}};
    auto rendered = m_templates.render(TemplateName::dashboard, context);
    if (!rendered) {
      return std::unexpected(rendered.error());
    }
    auto issue = split_front_matter(m_secrets.apply(*rendered));
    if (!issue) {
      return fail(fmt::format("template dashboard.md: {}", issue.error().message));
    }
    const std::size_t size = issue->body.size() + marker.size() + 2;
    if (size <= k_max_issue_text || shown == 0) {
      issue->body = marker + "\n" + issue->body;
      if (issue->front.title.empty()) {
        issue->front.title = "probewatch dashboard";
      }
      if (issue->body.size() > k_max_issue_text) {
        return fail(
            fmt::format("the dashboard's memory of {} muted checks no longer fits in one issue; split the checks "
                        "into shards (--shard I/N)",
                        kept.checks.size()));
      }
      if (!dropped.empty()) {
        issue->warnings.push_back(
            fmt::format("the dashboard's memory did not fit one issue, so it leaves out {}; split the checks into "
                        "shards (--shard I/N) to keep all of it",
                        fmt::join(dropped, ", ")));
      }
      return issue;
    }
    const std::size_t over = size - k_max_issue_text;
    const std::size_t per_row = std::max<std::size_t>(1, (issue->body.size() - 400) / std::max<std::size_t>(1, shown));
    shown -= std::min(shown, std::max<std::size_t>(1, over / per_row + 1));
  }
}

}  // namespace pw
