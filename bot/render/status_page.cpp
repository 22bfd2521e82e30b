#include <bot/render/status_page.hpp>

#include <bot/core/duration.hpp>
#include <bot/core/text.hpp>
#include <bot/core/timestamp.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>

namespace pw {

namespace {

using Status = CheckMemory::Status;

// How a check's state reads, with a symbol so that colour is never the only sign.
struct StateText {
  const char* css;
  const char* symbol;
  const char* words;
};

StateText state_of(const StatusCheck& check) {
  if (check.maintenance) {
    // Its real state shows too, as on the dashboard: a failing check in maintenance is not healthy.
    return {"maint", "🔧", check.status == Status::passing ? "In maintenance" : "In maintenance, failing"};
  }
  switch (check.status) {
    case Status::failing: return {"down", "✕", "Down"};
    case Status::pending: return {"warn", "!", "Failing, not yet an incident"};
    case Status::muted: return {"warn", "!", "Failing (muted)"};
    case Status::passing: return {"up", "✓", "Operational"};
  }
  return {"up", "✓", "Operational"};
}

std::string duration_text(Millis duration) {
  return duration <= Millis::zero() ? std::string("–") : format_duration(duration);
}

std::string time_text(TimePoint time) { return time == TimePoint{} ? "" : format_timestamp(time); }

// The page's style: system fonts, light and dark colours with at least 4.5:1 contrast for text.
constexpr std::string_view k_style =
    R"(:root{color-scheme:light dark;--bg:#ffffff;--fg:#1f2328;--muted:#59636e;--card:#f6f8fa;--line:#d1d9e0;--up:#1a7f37;--down:#cf222e;--warn:#9a6700;--maint:#0969da;--link:#0969da;--p50:#0969da;--p95:#8250df}
@media (prefers-color-scheme:dark){:root{--bg:#0d1117;--fg:#e6edf3;--muted:#9198a1;--card:#151b23;--line:#3d444d;--up:#3fb950;--down:#f85149;--warn:#d29922;--maint:#58a6ff;--link:#58a6ff;--p50:#58a6ff;--p95:#bc8cff}}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--fg);font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
main{max-width:60rem;margin:0 auto;padding:1rem}
a{color:var(--link)}
h1{font-size:1.6rem;margin:.5rem 0}
h2{font-size:1.25rem;margin:1.5rem 0 .5rem}
h3{font-size:1.1rem;margin:0 0 .25rem;overflow-wrap:anywhere}
.muted{color:var(--muted)}
.banner{border:2px solid var(--line);border-radius:8px;padding:.75rem 1rem;font-weight:600;background:var(--card)}
.banner.up{border-color:var(--up)}.banner.down{border-color:var(--down)}.banner.warn{border-color:var(--warn)}.banner.maint{border-color:var(--maint)}
.check{border:1px solid var(--line);border-radius:8px;padding:.75rem 1rem;margin:.75rem 0;background:var(--card)}
.state{font-weight:600;margin:.25rem 0}
.state.up{color:var(--up)}.state.down{color:var(--down)}.state.warn{color:var(--warn)}.state.maint{color:var(--maint)}
.table-wrap{overflow-x:auto}
table{border-collapse:collapse;width:100%;font-size:.95rem}
th,td{text-align:left;padding:.25rem .5rem;border-bottom:1px solid var(--line);vertical-align:top}
thead th{color:var(--muted);font-weight:600}
figure{margin:.5rem 0 0}
figcaption{color:var(--muted);font-size:.9rem}
svg.chart{width:100%;height:auto;max-height:14rem;display:block}
svg.chart .p50{stroke:var(--p50)}svg.chart .p95{stroke:var(--p95)}
svg.chart text{fill:var(--muted);font-size:11px}
svg.chart .grid{stroke:var(--line)}
ul.list{padding-left:1.25rem}
.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
@media (max-width:30rem){main{padding:.5rem}.check{padding:.5rem .6rem}th,td{padding:.2rem .25rem}table{font-size:.8rem}svg.chart text{font-size:18px}}
)";

std::string uptime_table(const StatusCheck& check) {
  std::string rows;
  for (std::size_t p = 0; p < k_uptime_periods.size(); ++p) {
    const Uptime& figure = check.uptime[p];
    rows += fmt::format(
        "<tr data-period=\"{0}\"><th scope=\"row\">{0}</th><td class=\"ratio\">{1}</td><td>{2}</td><td>{3}</td>"
        "<td>{4}</td></tr>\n",
        k_uptime_periods[p].first, escape_html(format_ratio(figure.ratio())), escape_html(duration_text(figure.down)),
        escape_html(duration_text(figure.unknown)), escape_html(duration_text(figure.maintenance)));
  }
  return fmt::format(
      "<div class=\"table-wrap\"><table class=\"uptime\">\n<caption class=\"visually-hidden\">Uptime of {}</caption>\n"
      "<thead><tr><th scope=\"col\">Period</th><th scope=\"col\">Uptime</th><th scope=\"col\">Down</th>"
      "<th scope=\"col\">Not observed</th><th scope=\"col\">Maintenance</th></tr></thead>\n<tbody>\n{}</tbody>"
      "</table></div>\n",
      escape_html(check.name), rows);
}

std::string check_section(const StatusCheck& check, TimePoint end) {
  const StateText state = state_of(check);
  std::string line = fmt::format("<span aria-hidden=\"true\">{}</span> {}", state.symbol, state.words);
  if (check.maintenance) {
    line += fmt::format(" ({}{})", escape_html(check.maintenance->by),
                        check.maintenance->until != TimePoint{}
                            ? fmt::format(", until {}", escape_html(format_human_time(check.maintenance->until)))
                            : std::string());
  }
  if (check.since != TimePoint{} && check.status != Status::passing) {
    line += fmt::format(" since {}", escape_html(format_human_time(check.since)));
  }
  if (check.incident != 0) {
    line += check.incident_url.empty()
                ? fmt::format(" · incident #{}", check.incident)
                : fmt::format(" · <a href=\"{}\">incident #{}</a>", escape_html(check.incident_url), check.incident);
  }
  std::string chart;
  if (!check.response.empty()) {
    const std::string label = fmt::format("Response times of {}", check.name);
    chart = fmt::format(
        "<figure>\n{}<figcaption>Response time in ms (the axis on the left), hourly p50 (solid line) and p95 (dashed line), last 7 days, "
        "UTC. Latest hour: p50 {} ms, p95 {} ms.</figcaption>\n</figure>\n",
        response_svg(check.response, end, k_status_chart_window, label), check.response.p50.back(),
        check.response.p95.back());
  } else {
    chart = check.charted ? "<p class=\"muted\">Response times: the first hour is still being collected.</p>\n"
                          : "<p class=\"muted\">Response times are charted for the 5 slowest checks, or for those "
                            "with <code>chart: true</code>.</p>\n";
  }
  return fmt::format(
      "<section class=\"check\" data-check=\"{0}\" data-state=\"{1}\" aria-labelledby=\"check-{0}\">\n"
      "<h3 id=\"check-{0}\">{2}</h3>\n<p class=\"state {1}\">{3}</p>\n{4}{5}</section>\n",
      escape_html(check.id), state.css, escape_html(check.name), line, uptime_table(check), chart);
}

std::string banner_of(const StatusPage& page) {
  std::size_t down = 0;
  std::size_t warn = 0;
  std::size_t maint = 0;
  std::size_t maint_failing = 0;
  for (const StatusCheck& check : page.checks) {
    const std::string css = state_of(check).css;
    down += css == "down";
    warn += css == "warn";
    maint += css == "maint";
    maint_failing += css == "maint" && check.status != Status::passing;
  }
  if (page.checks.empty()) {
    return "<p class=\"banner\" data-overall=\"unknown\">No checks are known yet.</p>\n";
  }
  if (down > 0) {
    return fmt::format(
        "<p class=\"banner down\" data-overall=\"down\"><span aria-hidden=\"true\">✕</span> {} of {} "
        "checks down</p>\n",
        down, page.checks.size());
  }
  if (warn > 0) {
    return fmt::format(
        "<p class=\"banner warn\" data-overall=\"degraded\"><span aria-hidden=\"true\">!</span> {} of "
        "{} checks failing</p>\n",
        warn, page.checks.size());
  }
  if (maint_failing > 0) {
    return fmt::format(
        "<p class=\"banner maint\" data-overall=\"maintenance\"><span aria-hidden=\"true\">🔧</span> "
        "{} of {} checks in maintenance, {} of them failing</p>\n",
        maint, page.checks.size(), maint_failing);
  }
  if (maint > 0) {
    return fmt::format(
        "<p class=\"banner maint\" data-overall=\"maintenance\"><span aria-hidden=\"true\">🔧</span> "
        "All checks operational, {} in maintenance</p>\n",
        maint);
  }
  return "<p class=\"banner up\" data-overall=\"operational\"><span aria-hidden=\"true\">✓</span> All checks "
         "operational</p>\n";
}

}  // namespace

std::string escape_html(std::string_view text) {
  std::string out;
  for (const char c : sanitize_utf8(text)) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

StatusPage status_page(const StatusSource& source, const Redactor& secrets) {
  StatusPage page;
  page.generated = source.now;
  page.since = source.dashboard.since;
  page.chart_end = source.dashboard.response.open_hour != TimePoint{}
                       ? source.dashboard.response.open_hour
                       : std::chrono::floor<std::chrono::hours>(source.now);
  const TimePoint now = source.now;
  const TimeSpans unknown = unknown_spans(source.dashboard, now);
  std::map<std::string, std::string> names;
  for (const auto& [id, name] : source.checks) {
    names[id] = secrets.apply(name);
  }
  const auto name_of = [&](const std::string& id) {
    const auto found = names.find(id);
    return found != names.end() ? found->second : id;
  };
  for (const auto& [id, name] : source.checks) {
    StatusCheck check;
    check.id = id;
    check.name = name_of(id);
    const auto memory = source.dashboard.checks.find(id);
    if (memory != source.dashboard.checks.end()) {
      check.status = memory->second.status;
      check.since = memory->second.since;
      check.incident = memory->second.incident;
    }
    TimeSpans down = outages_of(source.dashboard, id, now);
    for (const auto& [number, state] : source.open) {
      if (state.check == id) {
        check.incident = number;
        check.status = Status::failing;
        check.since = state.first_seen;
        if (state.first_seen != TimePoint{}) {
          down.push_back({state.first_seen, now});  // open now, whatever the memory says
        }
      }
    }
    if (check.incident != 0 && source.issue_url) {
      check.incident_url = source.issue_url(check.incident);
    }
    if (const auto pause = source.paused.find(id); pause != source.paused.end()) {
      check.maintenance = pause->second;
      check.maintenance->by = secrets.apply(check.maintenance->by);
    }
    const auto windows = source.maintenance.find(id);
    static const TimeSpans k_none;
    for (std::size_t p = 0; p < k_uptime_periods.size(); ++p) {
      check.uptime[p] = uptime({now - k_uptime_periods[p].second, now}, down, unknown,
                               windows != source.maintenance.end() ? windows->second : k_none);
      page.overall[p] += check.uptime[p];
    }
    const auto times = source.dashboard.response.checks.find(id);
    if (times != source.dashboard.response.checks.end()) {
      check.charted = true;
      check.response = series_within(times->second, source.dashboard.response.open_hour, k_status_chart_window);
    }
    page.checks.push_back(std::move(check));
  }
  for (const auto& [number, state] : source.open) {
    page.incidents.push_back({number, source.issue_url ? source.issue_url(number) : "", name_of(state.check),
                              state.first_seen, TimePoint{}, secrets.apply(state.reason)});
  }
  std::sort(page.incidents.begin(), page.incidents.end(),
            [](const StatusIncident& a, const StatusIncident& b) { return a.started > b.started; });
  std::vector<StatusIncident> closed;
  for (const PastIncident& past : source.dashboard.history) {
    closed.push_back({past.number, source.issue_url ? source.issue_url(past.number) : "", name_of(past.check),
                      past.first_seen, past.closed, secrets.apply(past.reason)});
  }
  std::sort(closed.begin(), closed.end(),
            [](const StatusIncident& a, const StatusIncident& b) { return a.ended > b.ended; });
  page.incidents.insert(page.incidents.end(), closed.begin(), closed.end());
  page.maintenance = source.windows;
  for (StatusMaintenance& window : page.maintenance) {
    window.name = secrets.apply(window.name);
    window.checks = secrets.apply(window.checks);
  }
  return page;
}

std::string response_svg(const ChartSeries& series, TimePoint end, std::chrono::hours window, std::string_view label) {
  constexpr double k_width = 640;
  constexpr double k_height = 180;
  constexpr double k_left = 52;
  constexpr double k_right = 8;
  constexpr double k_top = 10;
  constexpr double k_bottom = 24;
  const TimePoint start = end - window;
  // At least 10 ms, so the middle grid line (half the top) is a whole number of milliseconds.
  const int top =
      axis_top(series.p95.empty() ? 10 : std::max(10, *std::max_element(series.p95.begin(), series.p95.end())));
  const double span = static_cast<double>(std::chrono::duration_cast<std::chrono::hours>(window).count());
  auto x_of = [&](TimePoint hour) {
    // The middle of the hour.
    const double at =
        static_cast<double>(std::chrono::duration_cast<std::chrono::minutes>(hour - start).count() + 30) / 60.0;
    return k_left + (k_width - k_left - k_right) * at / span;
  };
  auto y_of = [&](int ms) { return k_top + (k_height - k_top - k_bottom) * (1.0 - static_cast<double>(ms) / top); };
  // One path per line; a new segment starts after an hour without samples.
  auto path_of = [&](const std::vector<int>& values) {
    std::string d;
    for (std::size_t i = 0; i < series.hours.size(); ++i) {
      const bool joined = i > 0 && series.hours[i] - series.hours[i - 1] == std::chrono::hours(1);
      d += fmt::format("{}{:.1f},{:.1f}", d.empty() ? "M" : (joined ? " L" : " M"), x_of(series.hours[i]),
                       y_of(values[i]));
      if (!joined && (i + 1 == series.hours.size() || series.hours[i + 1] - series.hours[i] != std::chrono::hours(1))) {
        // A lone hour: a short tick so it shows.
        d += " h0.1";
      }
    }
    return d;
  };
  std::string grid;
  for (const int fraction : {0, 1, 2}) {
    const int value = top * fraction / 2;
    const double y = y_of(value);
    grid += fmt::format(
        "<line class=\"grid\" x1=\"{:.1f}\" y1=\"{:.1f}\" x2=\"{:.1f}\" y2=\"{:.1f}\" stroke-width=\"1\"/>"
        "<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"end\">{}</text>\n",
        k_left, y, k_width - k_right, y, k_left - 4, y + 4, value);
  }
  const std::string first = format_human_time(start);
  const std::string last = format_human_time(end);
  grid += fmt::format(
      "<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"start\">{}</text><text x=\"{:.1f}\" y=\"{:.1f}\" "
      "text-anchor=\"end\">{}</text>\n",
      k_left, k_height - 6, escape_html(first), k_width - k_right, k_height - 6, escape_html(last));
  const std::string summary =
      series.empty() ? std::string("no samples")
                     : fmt::format("{} hours with samples; highest p95 {} ms, lowest p50 {} ms", series.hours.size(),
                                   *std::max_element(series.p95.begin(), series.p95.end()),
                                   *std::min_element(series.p50.begin(), series.p50.end()));
  return fmt::format(
      "<svg class=\"chart\" viewBox=\"0 0 {:.0f} {:.0f}\" role=\"img\" aria-label=\"{}: {}\">\n{}<path class=\"p50\" d=\"{}\" fill=\"none\" stroke-width=\"2\" "
      "stroke-linejoin=\"round\" stroke-linecap=\"round\"/>\n<path class=\"p95\" d=\"{}\" fill=\"none\" "
      "stroke-width=\"2\" stroke-dasharray=\"6 4\" stroke-linejoin=\"round\" stroke-linecap=\"round\"/>\n</svg>\n",
      k_width, k_height, escape_html(label), escape_html(summary), grid, path_of(series.p50), path_of(series.p95));
}

std::string status_page_html(const StatusPage& page) {
  std::string html;
  html += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  html += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  html += "<meta name=\"color-scheme\" content=\"light dark\">\n";
  // Nothing may load from elsewhere: no scripts, fonts, images or frames; only the inline style.
  html +=
      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
      "img-src data:; base-uri 'none'; form-action 'none'\">\n";
  html += "<meta name=\"referrer\" content=\"no-referrer\">\n";
  html += fmt::format("<title>{}</title>\n<style>\n{}</style>\n</head>\n<body>\n<main>\n", escape_html(page.title),
                      k_style);
  html += fmt::format("<header>\n<h1>{}</h1>\n", escape_html(page.title));
  html += banner_of(page);
  html += fmt::format("<p class=\"muted\">Updated <time datetime=\"{}\">{}</time>.{}</p>\n</header>\n",
                      time_text(page.generated), escape_html(format_human_time(page.generated)),
                      page.since != TimePoint{}
                          ? fmt::format(" Monitored since <time datetime=\"{}\">{}</time>.", time_text(page.since),
                                        escape_html(format_human_time(page.since)))
                          : std::string());

  html += "<section aria-labelledby=\"overall\">\n<h2 id=\"overall\">Uptime, all checks</h2>\n<ul class=\"list\">\n";
  for (std::size_t p = 0; p < k_uptime_periods.size(); ++p) {
    html += fmt::format("<li data-period=\"{}\">{}: <strong>{}</strong></li>\n", k_uptime_periods[p].first,
                        k_uptime_periods[p].first, escape_html(format_ratio(page.overall[p].ratio())));
  }
  html += "</ul>\n</section>\n";

  html += "<section aria-labelledby=\"checks\">\n<h2 id=\"checks\">Checks</h2>\n";
  for (const StatusCheck& check : page.checks) {
    html += check_section(check, page.chart_end);
  }
  html += "</section>\n";

  html += "<section aria-labelledby=\"maintenance\">\n<h2 id=\"maintenance\">Maintenance</h2>\n";
  if (page.maintenance.empty()) {
    html += "<p class=\"muted\">No maintenance now or in the next 7 days.</p>\n";
  } else {
    html += "<ul class=\"list\">\n";
    for (const StatusMaintenance& window : page.maintenance) {
      const bool now = window.span.contains(page.generated);
      html += fmt::format("<li data-maintenance=\"{0}\"><strong>{0}</strong> ({1}): {2} to {3}{4}</li>\n",
                          escape_html(window.name), escape_html(window.checks),
                          escape_html(format_human_time(window.span.start)),
                          escape_html(format_human_time(window.span.end)), now ? " <strong>(now)</strong>" : "");
    }
    html += "</ul>\n";
  }
  html += "</section>\n";

  html += "<section aria-labelledby=\"incidents\">\n<h2 id=\"incidents\">Incidents</h2>\n";
  if (page.incidents.empty()) {
    html += "<p class=\"muted\">No incidents in the last 90 days.</p>\n";
  } else {
    html +=
        "<div class=\"table-wrap\"><table>\n<thead><tr><th scope=\"col\">Incident</th><th scope=\"col\">Check</th>"
        "<th scope=\"col\">Started</th><th scope=\"col\">Lasted</th><th scope=\"col\">Last failure</th></tr>"
        "</thead>\n<tbody>\n";
    for (const StatusIncident& incident : page.incidents) {
      const std::string number =
          incident.url.empty() ? fmt::format("#{}", incident.number)
                               : fmt::format("<a href=\"{}\">#{}</a>", escape_html(incident.url), incident.number);
      const std::string lasted =
          incident.ended == TimePoint{}
              ? "<strong>ongoing</strong>"
              : escape_html(format_duration(std::chrono::duration_cast<Millis>(incident.ended - incident.started)));
      html += fmt::format("<tr data-incident=\"{}\"><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
                          incident.number, number, escape_html(incident.check),
                          escape_html(format_human_time(incident.started)), lasted, escape_html(incident.reason));
    }
    html += "</tbody></table></div>\n";
  }
  html += "</section>\n";
  html +=
      "<footer>\n<p class=\"muted\">Uptime is the share of observed time outside maintenance that a check passed. "
      "Time not observed (before monitoring began, or when runs came late) and time in maintenance are shown "
      "apart and count neither as up nor as down; \"–\" means no observed time in the period. Made by "
      "probewatch.</p>\n</footer>\n</main>\n</body>\n</html>\n";
  return html;
}

std::string status_page_json(const StatusPage& page) {
  using nlohmann::json;
  auto uptime_json = [](const std::array<Uptime, k_uptime_periods.size()>& figures) {
    json out = json::object();
    for (std::size_t p = 0; p < k_uptime_periods.size(); ++p) {
      const auto ratio = figures[p].ratio();
      out[k_uptime_periods[p].first] = {{"uptime", ratio ? json(*ratio) : json(nullptr)},
                                        {"up_seconds", figures[p].up.count() / 1000},
                                        {"down_seconds", figures[p].down.count() / 1000},
                                        {"unknown_seconds", figures[p].unknown.count() / 1000},
                                        {"maintenance_seconds", figures[p].maintenance.count() / 1000}};
    }
    return out;
  };
  json checks = json::array();
  for (const StatusCheck& check : page.checks) {
    json response = json::array();
    for (std::size_t i = 0; i < check.response.hours.size(); ++i) {
      response.push_back({{"hour", time_text(check.response.hours[i])},
                          {"p50_ms", check.response.p50[i]},
                          {"p95_ms", check.response.p95[i]}});
    }
    checks.push_back({{"id", check.id},
                      {"name", check.name},
                      {"state", check.maintenance ? "maintenance" : to_string(check.status)},
                      {"since", time_text(check.since)},
                      {"incident", check.incident != 0 ? json(check.incident) : json(nullptr)},
                      {"incident_url", check.incident_url.empty() ? json(nullptr) : json(check.incident_url)},
                      {"uptime", uptime_json(check.uptime)},
                      {"response_times", std::move(response)}});
  }
  json incidents = json::array();
  for (const StatusIncident& incident : page.incidents) {
    incidents.push_back({{"number", incident.number},
                         {"url", incident.url},
                         {"check", incident.check},
                         {"started", time_text(incident.started)},
                         {"ended", incident.ended == TimePoint{} ? json(nullptr) : json(time_text(incident.ended))},
                         {"reason", incident.reason}});
  }
  json maintenance = json::array();
  for (const StatusMaintenance& window : page.maintenance) {
    maintenance.push_back({{"name", window.name},
                           {"checks", window.checks},
                           {"start", time_text(window.span.start)},
                           {"end", time_text(window.span.end)}});
  }
  const json out = {{"version", 1},
                    {"generated_at", time_text(page.generated)},
                    {"monitored_since", page.since == TimePoint{} ? json(nullptr) : json(time_text(page.since))},
                    {"overall", uptime_json(page.overall)},
                    {"checks", std::move(checks)},
                    {"incidents", std::move(incidents)},
                    {"maintenance", std::move(maintenance)}};
  return out.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

}  // namespace pw
