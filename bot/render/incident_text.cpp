#include <bot/render/incident_text.hpp>

#include <bot/core/duration.hpp>
#include <bot/core/text.hpp>
#include <bot/core/timestamp.hpp>
#include <bot/render/issue_writer.hpp>

#include <base/iso8601.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>

namespace pw {

namespace {

// Removes emphasis, inline-code backticks and Markdown escapes from one line of prose.
std::string plain(std::string_view line) {
  std::string out;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (c == '\\' && i + 1 < line.size() && std::ispunct(static_cast<unsigned char>(line[i + 1])) != 0) {
      out += line[++i];
    } else if (c == '`' || (c == '*' && i + 1 < line.size() && line[i + 1] == '*')) {
      i += c == '*' ? 1 : 0;
    } else {
      out += c;
    }
  }
  return std::string(trim(out));
}

bool is_fence(std::string_view line) {
  line = trim(line);
  return line.starts_with("```") || line.starts_with("~~~");
}

std::string strip_tags(std::string_view line) {
  std::string out;
  bool in_tag = false;
  for (const char c : line) {
    if (c == '<') {
      in_tag = true;
    } else if (c == '>' && in_tag) {
      in_tag = false;
    } else if (!in_tag) {
      out += c;
    }
  }
  return out;
}

std::string first_line(std::string_view markdown) {
  for (const std::string& line : markdown_lines(markdown)) {
    if (!line.empty()) {
      return line;
    }
  }
  return "";
}

std::string section_of(std::string_view body) {
  const std::size_t begin = body.find(k_section_begin);
  const std::size_t end = begin == std::string_view::npos ? begin : body.find(k_section_end, begin);
  if (begin == std::string_view::npos || end == std::string_view::npos) {
    return std::string(body);
  }
  return std::string(body.substr(begin + k_section_begin.size(), end - begin - k_section_begin.size()));
}

}  // namespace

std::vector<std::string> markdown_lines(std::string_view markdown) {
  std::vector<std::string> lines;
  const std::string text = sanitize_utf8(markdown);
  std::size_t start = 0;
  bool fenced = false;
  while (start <= text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) {
      end = text.size();
    }
    std::string_view line = std::string_view(text).substr(start, end - start);
    start = end + 1;
    if (!line.empty() && line.back() == '\r') {
      line.remove_suffix(1);
    }
    if (is_fence(line)) {
      fenced = !fenced;
      continue;
    }
    if (fenced) {
      lines.push_back("    " + std::string(line));
      continue;
    }
    std::string_view stripped = trim(line);
    if (stripped.starts_with("<!--") || stripped == "</details>" || stripped.starts_with("> [!")) {
      continue;
    }
    if (stripped.starts_with(">")) {
      stripped = trim(stripped.substr(1));
    }
    if (stripped.starts_with("|")) {
      std::vector<std::string> cells;
      std::string_view rest = stripped.substr(1);
      while (!rest.empty()) {
        std::size_t bar = 0;
        while (bar < rest.size() && !(rest[bar] == '|' && (bar == 0 || rest[bar - 1] != '\\'))) {
          ++bar;
        }
        cells.push_back(plain(rest.substr(0, bar)));
        rest = bar < rest.size() ? rest.substr(bar + 1) : std::string_view();
      }
      const bool separator = std::all_of(cells.begin(), cells.end(), [](const std::string& cell) {
        return cell.find_first_not_of("-: ") == std::string::npos;
      });
      if (!separator && cells.size() >= 2) {
        std::string value;
        for (std::size_t i = 1; i < cells.size(); ++i) {
          value += (i > 1 ? " | " : "") + cells[i];
        }
        lines.push_back(fmt::format("  {}: {}", cells[0], value));
      }
      continue;
    }
    while (stripped.starts_with("#")) {
      stripped.remove_prefix(1);
    }
    std::string out = plain(strip_tags(stripped));
    if (stripped.starts_with("<details>") && !out.empty()) {
      out += ":";
    }
    if (out.empty() && (lines.empty() || lines.back().empty())) {
      continue;
    }
    lines.push_back(out);
  }
  while (!lines.empty() && lines.back().empty()) {
    lines.pop_back();
  }
  return lines;
}

IncidentDetails describe_incident(const ShownIssue& issue, const std::vector<ShownComment>& comments) {
  IncidentDetails details;
  details.issue = issue;
  if (const auto marker = parse_marker(issue.body)) {
    if (const auto* state = std::get_if<IncidentState>(&*marker)) {
      details.state = *state;
    }
  }
  details.timeline.push_back({issue.created_at, "opened", issue.user, sanitize_utf8(issue.title)});
  for (const ShownComment& comment : comments) {
    details.timeline.push_back({comment.created_at, "comment", comment.user, first_line(comment.body)});
  }
  if (issue.state == "closed" && !issue.closed_at.empty()) {
    details.timeline.push_back({issue.closed_at, "closed", "", issue.state_reason});
  }
  std::stable_sort(details.timeline.begin(), details.timeline.end(),
                   [](const TimelineEntry& a, const TimelineEntry& b) { return a.at < b.at; });
  details.evidence = markdown_lines(section_of(issue.body));
  for (const std::string& line : details.evidence) {
    if (line.starts_with("Likely cause: ")) {
      details.hints.push_back(line.substr(14));
    }
  }
  return details;
}

std::string incident_text(const IncidentDetails& details, TimePoint now) {
  const ShownIssue& issue = details.issue;
  std::string out =
      fmt::format("#{} [{}{}] {}\n", issue.number, issue.state,
                  issue.state_reason.empty() ? "" : ": " + issue.state_reason, sanitize_utf8(issue.title));
  if (details.state) {
    const IncidentState& state = *details.state;
    out += fmt::format("check:    {}\n", sanitize_utf8(state.check));
    const TimePoint until = issue.state == "closed" ? base::parse_iso8601(issue.closed_at).value_or(now) : now;
    out += fmt::format("failing:  since {} ({}), {} failing {} recorded\n", format_timestamp(state.first_seen),
                       format_duration(std::chrono::duration_cast<Millis>(until - state.first_seen)), state.runs_failed,
                       state.runs_failed == 1 ? "run" : "runs");
    if (!state.reason.empty()) {
      out += fmt::format("latest:   {} (as of {})\n", sanitize_utf8(state.reason), format_timestamp(state.last_seen));
    }
  } else {
    out += "check:    none (this issue has no probewatch incident marker)\n";
  }
  if (!issue.html_url.empty()) {
    out += fmt::format("link:     {}\n", issue.html_url);
  }
  if (!details.evidence.empty()) {
    out += "\n";
    for (const std::string& line : details.evidence) {
      out += line + "\n";
    }
  }
  out += "\nTimeline\n";
  for (const TimelineEntry& entry : details.timeline) {
    std::string line = fmt::format("  {}  {}", entry.at, entry.kind);
    if (!entry.author.empty()) {
      line += " by " + sanitize_utf8(entry.author);
    }
    if (!entry.text.empty()) {
      line += ": " + std::string(utf8_prefix(entry.text, 160));
    }
    out += line + "\n";
  }
  return out;
}

std::string incident_json(const IncidentDetails& details) {
  using nlohmann::json;
  const ShownIssue& issue = details.issue;
  json out = {{"issue", issue.number},
              {"title", sanitize_utf8(issue.title)},
              {"state", issue.state},
              {"state_reason", issue.state_reason},
              {"url", issue.html_url},
              {"labels", issue.labels},
              {"assignees", issue.assignees},
              {"type", issue.type.empty() ? json(nullptr) : json(issue.type)},
              {"created_at", issue.created_at},
              {"closed_at", issue.closed_at},
              {"check", nullptr},
              {"evidence", details.evidence},
              {"hints", details.hints}};
  if (details.state) {
    out["check"] = sanitize_utf8(details.state->check);
    out["first_seen"] = format_timestamp(details.state->first_seen);
    out["last_seen"] = format_timestamp(details.state->last_seen);
    out["runs_failed"] = details.state->runs_failed;
    out["reason"] = sanitize_utf8(details.state->reason);
  }
  json timeline = json::array();
  for (const TimelineEntry& entry : details.timeline) {
    timeline.push_back({{"at", entry.at}, {"kind", entry.kind}, {"author", entry.author}, {"text", entry.text}});
  }
  out["timeline"] = timeline;
  return out.dump(2) + "\n";
}

}  // namespace pw
