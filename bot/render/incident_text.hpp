#pragma once

#include <bot/core/clock.hpp>
#include <bot/reconcile/marker.hpp>

#include <github_client/types.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pw {

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
  github::Issue issue;
  std::optional<IncidentState> state;   // absent when the issue has no incident marker
  std::vector<TimelineEntry> timeline;  // oldest first
  std::vector<std::string> evidence;    // terminal lines of the bot-owned section
  std::vector<std::string> hints;       // "title. detail" per likely cause
};

// Returns the details of an issue and its comments (oldest first). Pure.
IncidentDetails describe_incident(const github::Issue& issue, const std::vector<github::Comment>& comments);

// Returns Markdown as plain lines for a terminal: tables as "name: value", no HTML, markers,
// emphasis, escapes or fences; control bytes replaced (sanitize_utf8), so a body cannot move the cursor.
std::vector<std::string> markdown_lines(std::string_view markdown);

// Returns the incident for a person at a terminal: heading, state, check, link, latest evidence
// (with its likely causes), timeline.
std::string incident_text(const IncidentDetails& details, TimePoint now);

// Returns the same as a JSON document (pretty-printed).
std::string incident_json(const IncidentDetails& details);

}  // namespace pw
