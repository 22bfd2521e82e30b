#pragma once

#include <bot/core/clock.hpp>
#include <bot/reconcile/marker.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pw {

// An issue as `probewatch show` needs it, in the tracker's words; bot/cli fills it from the
// tracker, so render links no GitHub client. Timestamps are ISO 8601 strings, empty when null.
struct ShownIssue {
  int number = 0;
  std::string title;
  std::string body;
  std::string state;                   // "open" or "closed"
  std::string state_reason;            // "completed", "not_planned", ... or empty
  std::vector<std::string> labels;     // names
  std::vector<std::string> assignees;  // logins
  std::string type;                    // the issue type's name; empty when it has none
  std::string html_url;
  std::string user;  // author login
  std::string created_at;
  std::string closed_at;
};

// A comment on a shown issue.
struct ShownComment {
  std::string body;
  std::string user;  // author login
  std::string created_at;
};

// One event in an incident's life: opened, a comment, closed.
struct TimelineEntry {
  std::string at;      // ISO 8601, as the tracker gave it
  std::string kind;    // "opened", "comment", "closed"
  std::string author;  // login; empty for "closed"
  std::string text;    // first line of a comment, or the close reason, for a terminal
};

// An incident as `probewatch show` presents it: the issue, what its marker remembers, the
// timeline, and the latest evidence and hints from the bot's section of the body.
struct IncidentDetails {
  ShownIssue issue;
  std::optional<IncidentState> state;   // absent when the issue has no incident marker
  std::vector<TimelineEntry> timeline;  // oldest first
  std::vector<std::string> evidence;    // terminal lines of the bot-owned section
  std::vector<std::string> hints;       // "title. detail" per likely cause
};

// Returns the details of an issue and its comments (oldest first). Pure.
IncidentDetails describe_incident(const ShownIssue& issue, const std::vector<ShownComment>& comments);

// Returns Markdown as plain lines for a terminal: tables as "name: value", no HTML, markers,
// emphasis, escapes or fences; control bytes replaced (sanitize_utf8), so a body cannot move the cursor.
std::vector<std::string> markdown_lines(std::string_view markdown);

// Returns the incident for a person at a terminal: heading, state, check, link, latest evidence
// (with its likely causes), timeline.
std::string incident_text(const IncidentDetails& details, TimePoint now);

// Returns the same as a JSON document (pretty-printed).
std::string incident_json(const IncidentDetails& details);

}  // namespace pw
