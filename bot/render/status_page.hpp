#pragma once

#include <bot/core/redactor.hpp>
#include <bot/model/maintenance.hpp>
#include <bot/reconcile/marker.hpp>
#include <bot/reconcile/uptime.hpp>
#include <bot/render/response_chart.hpp>

#include <array>
#include <chrono>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace pw {

// How far back a status page's response-time charts reach: all the memory keeps.
inline constexpr auto k_status_chart_window = k_response_days;

// One check as the status page shows it. Text is redacted; the HTML escapes it.
struct StatusCheck {
  std::string id;
  std::string name;
  CheckMemory::Status status = CheckMemory::Status::passing;
  TimePoint since{};
  std::optional<Pause> maintenance;  // in maintenance now
  int incident = 0;                  // the open incident, 0 when none
  std::string incident_url;
  std::array<Uptime, k_uptime_periods.size()> uptime{};
  bool charted = false;  // the dashboard keeps its response times
  ChartSeries response;  // its closed hours within k_status_chart_window
};

// One incident, open (ended unset) or closed.
struct StatusIncident {
  int number = 0;
  std::string url;
  std::string check;  // the check's name
  TimePoint started{};
  TimePoint ended{};
  std::string reason;  // the last failure, one line
};

// A maintenance window now or within the next week.
struct StatusMaintenance {
  std::string name;
  std::string checks;  // the names it covers, or "all checks"
  TimeSpan span;
};

// Everything a status page shows.
struct StatusPage {
  std::string title = "Status";
  TimePoint generated{};
  TimePoint since{};      // when the dashboard began; unset when unknown
  TimePoint chart_end{};  // the charts end here: the hour the dashboard collects now
  std::vector<StatusCheck> checks;
  std::array<Uptime, k_uptime_periods.size()> overall{};
  std::vector<StatusIncident> incidents;  // open first, then closed, newest first
  std::vector<StatusMaintenance> maintenance;
};

// What a status page is built from: the dashboard's memory, the open incidents, the checks in
// config order (id and name) with their maintenance of the last 90 days, and the current pauses.
struct StatusSource {
  DashboardState dashboard;
  std::vector<std::pair<int, IncidentState>> open;  // open incidents: number, marker
  std::vector<std::pair<std::string, std::string>> checks;
  std::map<std::string, TimeSpans> maintenance;  // by check id
  Pauses paused;
  std::vector<StatusMaintenance> windows;
  std::function<std::string(int)> issue_url;
  TimePoint now{};
};

// Returns the page for `source`: each check's state, uptime per period (down, unknown and
// maintenance kept apart), response times and open incident; the incidents, newest first.
StatusPage status_page(const StatusSource& source, const Redactor& secrets);

// Returns `text` escaped for HTML text and attribute values (& < > " ').
std::string escape_html(std::string_view text);

// Returns the inline SVG chart of `series` over [end - window, end): p50 solid, p95 dashed, hours
// without samples left as breaks; labelled for screen readers by `label`.
std::string response_svg(const ChartSeries& series, TimePoint end, std::chrono::hours window, std::string_view label);

// Returns the self-contained page: inline CSS (light and dark), no script, no external request;
// every text escaped; links only to the incidents.
std::string status_page_html(const StatusPage& page);

// Returns the page's data as JSON (version 1), for other tools.
std::string status_page_json(const StatusPage& page);

}  // namespace pw
