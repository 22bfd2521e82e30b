#include <bot/reconcile/marker.hpp>

#include <bot/core/timestamp.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>

namespace pw {

namespace {

using nlohmann::json;

constexpr std::string_view k_open = "<!-- probewatch:v1 ";
constexpr std::string_view k_close = " -->";

std::string time_text(TimePoint time) { return time == TimePoint{} ? "" : format_timestamp(time); }

TimePoint time_of(const json& object, const char* key) {
  const auto it = object.find(key);
  if (it == object.end() || !it->is_string()) {
    return {};
  }
  return parse_timestamp(it->get_ref<const std::string&>()).value_or(TimePoint{});
}

int int_of(const json& object, const char* key) {
  const auto it = object.find(key);
  if (it == object.end() || !it->is_number_integer()) {
    return 0;
  }
  const auto value = it->get<long long>();
  return value < 0 || value > 1'000'000'000 ? 0 : static_cast<int>(value);
}

std::string string_of(const json& object, const char* key) {
  const auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// Compact JSON safe inside an HTML comment: ">" is escaped so no value can close it.
std::string wrap(const json& value) {
  std::string text = value.dump(-1, ' ', false, json::error_handler_t::replace);
  std::string out;
  for (const char c : text) {
    if (c == '>') {
      out += "\\u003e";
    } else {
      out += c;
    }
  }
  return std::string(k_open) + out + std::string(k_close);
}

std::optional<CheckMemory::Status> status_from(std::string_view text) {
  if (text == "passing") {
    return CheckMemory::Status::passing;
  }
  if (text == "pending") {
    return CheckMemory::Status::pending;
  }
  if (text == "failing") {
    return CheckMemory::Status::failing;
  }
  if (text == "muted") {
    return CheckMemory::Status::muted;
  }
  return std::nullopt;
}

// The response-time history: the open hour, the first hour of the series, and per charted check
// its hours (encode_hours) and the open hour's samples.
json response_json(const ResponseHistory& history) {
  TimePoint from = history.open_hour;
  for (const auto& [id, times] : history.checks) {
    if (!times.hours.empty()) {
      from = std::min(from, times.hours.begin()->first);
    }
  }
  json checks = json::object();
  for (const auto& [id, times] : history.checks) {
    json entry = json::object();
    if (!times.hours.empty()) {
      entry["h"] = encode_hours(times.hours, from);
    }
    if (!times.open.empty()) {
      entry["s"] = times.open;
    }
    checks[id] = std::move(entry);
  }
  return {{"hour", time_text(history.open_hour)}, {"from", time_text(from)}, {"checks", std::move(checks)}};
}

// Reads what response_json wrote; a malformed part is dropped (the history starts again there).
ResponseHistory response_from(const json& object) {
  ResponseHistory history;
  history.open_hour = std::chrono::floor<std::chrono::hours>(time_of(object, "hour"));
  const TimePoint from = std::chrono::floor<std::chrono::hours>(time_of(object, "from"));
  const auto checks = object.find("checks");
  if (history.open_hour == TimePoint{} || checks == object.end() || !checks->is_object()) {
    return {};
  }
  for (const auto& [id, entry] : checks->items()) {
    if (!entry.is_object() || history.checks.size() >= k_max_charted) {
      continue;
    }
    CheckTimes times;
    const std::string text = string_of(entry, "h");
    if (auto hours = decode_hours(text, from)) {
      std::erase_if(*hours, [&](const auto& hour) { return hour.first >= history.open_hour; });
      times.hours = std::move(*hours);
    }
    const auto samples = entry.find("s");
    if (samples != entry.end() && samples->is_array()) {
      for (const json& sample : *samples) {
        if (sample.is_number_integer() && times.open.size() < k_open_samples) {
          times.open.push_back(static_cast<int>(std::clamp<long long>(sample.get<long long>(), 0, k_max_response_ms)));
        }
      }
    }
    history.checks.emplace(id, std::move(times));
  }
  return history;
}

std::optional<IncidentState> incident_from(const json& object) {
  IncidentState state;
  state.check = string_of(object, "check");
  if (state.check.empty()) {
    return std::nullopt;
  }
  state.config = string_of(object, "config");
  state.first_seen = time_of(object, "first_seen");
  state.last_seen = time_of(object, "last_seen");
  state.runs_failed = int_of(object, "runs_failed");
  state.signature = string_of(object, "signature");
  // Markers written before the change throttle last told the failure they show.
  state.reported = object.contains("reported") ? string_of(object, "reported") : state.signature;
  state.reason = string_of(object, "reason");
  state.last_comment = time_of(object, "last_comment");
  state.passes = int_of(object, "passes");
  state.scope = string_of(object, "scope");
  return state;
}

json incident_json(const IncidentState& state) {
  json object = {{"kind", "incident"}, {"check", state.check}};
  if (!state.config.empty()) {
    object["config"] = state.config;
  }
  object["first_seen"] = time_text(state.first_seen);
  object["last_seen"] = time_text(state.last_seen);
  object["runs_failed"] = state.runs_failed;
  object["signature"] = state.signature;
  object["reported"] = state.reported;
  object["reason"] = state.reason;
  object["last_comment"] = time_text(state.last_comment);
  object["passes"] = state.passes;
  if (!state.scope.empty()) {
    object["scope"] = state.scope;
  }
  return object;
}

// A listing is all or nothing: one unreadable entry and the next run lists for real.
std::optional<Listing> listing_from(const json& object) {
  Listing listing;
  listing.as_of = time_of(object, "as_of");
  const auto issues = object.find("issues");
  if (listing.as_of == TimePoint{} || issues == object.end() || !issues->is_array()) {
    return std::nullopt;
  }
  for (const json& entry : *issues) {
    if (!entry.is_object() || !entry.contains("i") || !entry.at("i").is_object()) {
      return std::nullopt;
    }
    ListedIssue issue;
    issue.number = int_of(entry, "n");
    issue.updated = time_of(entry, "u");
    issue.author = string_of(entry, "by");
    auto incident = incident_from(entry.at("i"));
    if (issue.number <= 0 || issue.updated == TimePoint{} || !incident) {
      return std::nullopt;
    }
    issue.incident = std::move(*incident);
    listing.issues.push_back(std::move(issue));
  }
  if (const auto maintenance = object.find("maint"); maintenance != object.end()) {
    if (!maintenance->is_array()) {
      return std::nullopt;
    }
    for (const json& number : *maintenance) {
      if (!number.is_number_integer() || number.get<long long>() <= 0 || number.get<long long>() > 1'000'000'000) {
        return std::nullopt;
      }
      listing.maintenance.push_back(static_cast<int>(number.get<long long>()));
    }
  }
  return listing;
}

}  // namespace

const char* to_string(CheckMemory::Status status) {
  switch (status) {
    case CheckMemory::Status::passing: return "passing";
    case CheckMemory::Status::pending: return "pending";
    case CheckMemory::Status::failing: return "failing";
    case CheckMemory::Status::muted: return "muted";
  }
  return "passing";
}

std::optional<Marker> parse_marker(std::string_view body) {
  const std::size_t start = body.find(k_open);
  if (start == std::string_view::npos) {
    return std::nullopt;
  }
  const std::size_t payload = start + k_open.size();
  const std::size_t end = body.find(k_close, payload);
  if (end == std::string_view::npos) {
    return std::nullopt;
  }
  const json object = json::parse(body.substr(payload, end - payload), nullptr, false);
  if (object.is_discarded() || !object.is_object()) {
    return std::nullopt;
  }
  const std::string kind = string_of(object, "kind");
  if (kind == "incident") {
    return incident_from(object);
  }
  if (kind == "dashboard") {
    DashboardState state;
    state.config = string_of(object, "config");
    state.scope = string_of(object, "scope");
    const auto checks = object.find("checks");
    if (checks != object.end() && checks->is_object()) {
      for (const auto& [id, entry] : checks->items()) {
        if (!entry.is_object()) {
          continue;
        }
        CheckMemory memory;
        memory.status = status_from(string_of(entry, "status")).value_or(CheckMemory::Status::passing);
        memory.since = time_of(entry, "since");
        memory.streak = int_of(entry, "streak");
        memory.incident = int_of(entry, "incident");
        memory.closed = int_of(entry, "closed");
        // As format_marker writes it: closed_at means nothing without closed.
        memory.closed_at = memory.closed != 0 ? time_of(entry, "closed_at") : TimePoint{};
        memory.muted_by = int_of(entry, "muted_by");
        if (!memory.trivial()) {
          state.checks.emplace(id, std::move(memory));
        }
      }
    }
    state.since = time_of(object, "since");
    const auto history = object.find("history");
    if (history != object.end() && history->is_array()) {
      for (const auto& entry : *history) {
        if (!entry.is_object() || string_of(entry, "check").empty() || state.history.size() >= k_history_limit) {
          continue;
        }
        PastIncident past{string_of(entry, "check"), int_of(entry, "n"), time_of(entry, "from"), time_of(entry, "to"),
                          string_of(entry, "reason")};
        if (past.closed > past.first_seen) {
          state.history.push_back(std::move(past));
        }
      }
    }
    const auto hosts = object.find("hosts");
    if (hosts != object.end() && hosts->is_object()) {
      for (const auto& [host, entry] : hosts->items()) {
        if (entry.is_object()) {
          state.hosts.emplace(host, HealthyFingerprint{string_of(entry, "server"), string_of(entry, "request_id")});
        }
      }
    }
    state.last_run = time_of(object, "last_run");
    const auto gaps = object.find("gaps");
    if (gaps != object.end() && gaps->is_array()) {
      for (const json& gap : *gaps) {
        if (!gap.is_array() || gap.size() != 2 || !gap[0].is_string() || !gap[1].is_string()) {
          continue;
        }
        const auto from = parse_timestamp(gap[0].get<std::string>());
        const auto to = parse_timestamp(gap[1].get<std::string>());
        if (from && to && *from < *to) {
          state.gaps.push_back({*from, *to});
        }
      }
    }
    const auto writes = object.find("writes");
    if (writes != object.end() && writes->is_array()) {
      for (const json& entry : *writes) {
        if (!entry.is_array() || entry.size() != 2 || !entry[0].is_string() || !entry[1].is_number_integer()) {
          continue;
        }
        const auto at = parse_timestamp(entry[0].get<std::string>());
        const auto count = entry[1].get<long long>();
        if (at && count > 0 && count <= 100'000) {
          state.writes.emplace_back(*at, static_cast<int>(count));
        }
      }
    }
    const auto deploy = object.find("deploy");
    if (deploy != object.end() && deploy->is_object()) {
      Deployment remembered;
      remembered.sha = string_of(*deploy, "sha");
      remembered.ref = string_of(*deploy, "ref");
      remembered.environment = string_of(*deploy, "env");
      remembered.created_at = time_of(*deploy, "at");
      remembered = remembered_deploy(remembered);
      const bool hex = std::all_of(remembered.sha.begin(), remembered.sha.end(),
                                   [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
      if ((remembered.sha.size() == 40 || remembered.sha.size() == 64) && hex && remembered.created_at != TimePoint{}) {
        state.deploy = std::move(remembered);
      }
    }
    const auto response = object.find("rt");
    if (response != object.end() && response->is_object()) {
      state.response = response_from(*response);
    }
    const auto listed = object.find("listed");
    if (listed != object.end() && listed->is_object()) {
      state.listing = listing_from(*listed);
    }
    return state;
  }
  return std::nullopt;
}

std::string format_marker(const IncidentState& state) { return wrap(incident_json(state)); }

std::string format_marker(const DashboardState& state) {
  json checks = json::object();
  for (const auto& [id, memory] : state.checks) {
    if (memory.trivial()) {
      continue;
    }
    json entry = {{"status", to_string(memory.status)}, {"since", time_text(memory.since)}};
    // Only what differs from a plain passing check is written, to keep the marker small.
    if (memory.streak != 0) {
      entry["streak"] = memory.streak;
    }
    if (memory.incident != 0) {
      entry["incident"] = memory.incident;
    }
    if (memory.closed != 0) {
      entry["closed"] = memory.closed;
      entry["closed_at"] = time_text(memory.closed_at);
    }
    if (memory.muted_by != 0) {
      entry["muted_by"] = memory.muted_by;
    }
    checks[id] = std::move(entry);
  }
  json object = {{"kind", "dashboard"}};
  if (!state.config.empty()) {
    object["config"] = state.config;
  }
  if (!state.scope.empty()) {
    object["scope"] = state.scope;
  }
  if (state.since != TimePoint{}) {
    object["since"] = time_text(state.since);
  }
  object["checks"] = std::move(checks);
  if (!state.history.empty()) {
    json history = json::array();
    for (const PastIncident& past : state.history) {
      history.push_back({{"check", past.check},
                         {"n", past.number},
                         {"from", time_text(past.first_seen)},
                         {"to", time_text(past.closed)},
                         {"reason", past.reason}});
    }
    object["history"] = std::move(history);
  }
  if (!state.hosts.empty()) {
    json hosts = json::object();
    for (const auto& [host, fingerprint] : state.hosts) {
      json entry = json::object();
      if (!fingerprint.server.empty()) {
        entry["server"] = fingerprint.server;
      }
      if (!fingerprint.request_id_header.empty()) {
        entry["request_id"] = fingerprint.request_id_header;
      }
      hosts[host] = std::move(entry);
    }
    object["hosts"] = std::move(hosts);
  }
  if (state.last_run != TimePoint{}) {
    object["last_run"] = time_text(state.last_run);
  }
  if (!state.gaps.empty()) {
    json gaps = json::array();
    for (const TimeSpan& gap : state.gaps) {
      gaps.push_back(json::array({time_text(gap.start), time_text(gap.end)}));
    }
    object["gaps"] = std::move(gaps);
  }
  if (!state.writes.empty()) {
    json writes = json::array();
    for (const auto& [at, count] : state.writes) {
      writes.push_back(json::array({time_text(at), count}));
    }
    object["writes"] = std::move(writes);
  }
  if (state.deploy) {
    object["deploy"] = {{"sha", state.deploy->sha},
                        {"ref", state.deploy->ref},
                        {"env", state.deploy->environment},
                        {"at", time_text(state.deploy->created_at)}};
  }
  if (state.response.open_hour != TimePoint{}) {
    object["rt"] = response_json(state.response);
  }
  if (state.listing) {
    json issues = json::array();
    for (const ListedIssue& issue : state.listing->issues) {
      json incident = incident_json(issue.incident);
      incident.erase("kind");
      issues.push_back({{"n", issue.number}, {"u", time_text(issue.updated)}, {"by", issue.author}, {"i", incident}});
    }
    object["listed"] = {{"as_of", time_text(state.listing->as_of)}, {"issues", std::move(issues)}};
    if (!state.listing->maintenance.empty()) {
      object["listed"]["maint"] = state.listing->maintenance;
    }
  }
  return wrap(object);
}

}  // namespace pw
