#include <bot/reconcile/marker.hpp>
#include <bot/render/incident_text.hpp>
#include <bot/render/issue_writer.hpp>

#include <base/iso8601.hpp>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

namespace {

pw::ShownIssue incident_issue() {
  pw::IncidentState state;
  state.check = "api-health";
  state.first_seen = *pw::base::parse_iso8601("2026-12-01T10:00:00Z");
  state.last_seen = *pw::base::parse_iso8601("2026-12-01T12:00:00Z");
  state.runs_failed = 24;
  state.reason = "status 404 not in [200]";
  pw::ShownIssue issue;
  issue.number = 12;
  issue.title = "API health is failing";
  issue.state = "closed";
  issue.state_reason = "completed";
  issue.user = "probewatch[bot]";
  issue.created_at = "2026-12-01T10:00:00Z";
  issue.closed_at = "2026-12-01T14:00:00Z";
  issue.html_url = "https://github.com/octo/app/issues/12";
  issue.body = "**API health** is failing\n\nA person's note.\n\n" + std::string(pw::k_section_begin) + "\n" +
               pw::format_marker(state) +
               "\n### Latest evidence\n\n| | |\n|---|---|\n| Verdict | failing |\n| Reason | `status 404 not in "
               "\\[200\\]` |\n\n> [!WARNING]\n> **Likely cause: stale deploy.** The old build answers.\n\n"
               "<details><summary>Response body (17 bytes)</summary>\n\n```\n{\"error\":\"gone\"}\n```\n\n"
               "</details>\n" +
               std::string(pw::k_section_end) + "\n";
  return issue;
}

}  // namespace

TEST_CASE("incident_text: Markdown becomes plain terminal lines") {
  CHECK(pw::markdown_lines("### Latest evidence\n\n| | |\n|---|---|\n| Status | **404** |\n") ==
        std::vector<std::string>{"Latest evidence", "", "  Status: 404"});
  CHECK(pw::markdown_lines("<!-- probewatch:v1 {} -->\n```json\n{\"a\": 1}\n```\n</details>\n") ==
        std::vector<std::string>{"    {\"a\": 1}"});
  CHECK(pw::markdown_lines("> [!WARNING]\n> **Likely cause: x.** y \\[z\\]") ==
        std::vector<std::string>{"Likely cause: x. y [z]"});
  // Control bytes from a hostile body cannot reach the terminal as escapes.
  CHECK(pw::markdown_lines("a\x1b[2Jb") == std::vector<std::string>{"a\xEF\xBF\xBD[2Jb"});
}

TEST_CASE("incident_text: state, check, latest evidence, hints and the timeline in order") {
  const pw::ShownComment still{"**Still failing** after 2h: `status 404`", "probewatch[bot]", "2026-12-01T12:00:00Z"};
  const pw::ShownComment person{"Looking into it @ops", "alice", "2026-12-01T11:00:00Z"};
  const pw::IncidentDetails details = pw::describe_incident(incident_issue(), {still, person});
  REQUIRE(details.state.has_value());
  CHECK(details.hints == std::vector<std::string>{"stale deploy. The old build answers."});
  const std::string text = pw::incident_text(details, *pw::base::parse_iso8601("2026-12-02T00:00:00Z"));
  CHECK(text ==
        "#12 [closed: completed] API health is failing\n"
        "check:    api-health\n"
        "failing:  since 2026-12-01T10:00:00Z (4h), 24 failing runs recorded\n"
        "latest:   status 404 not in [200] (as of 2026-12-01T12:00:00Z)\n"
        "link:     https://github.com/octo/app/issues/12\n"
        "\n"
        "Latest evidence\n"
        "\n"
        "  Verdict: failing\n"
        "  Reason: status 404 not in [200]\n"
        "\n"
        "Likely cause: stale deploy. The old build answers.\n"
        "\n"
        "Response body (17 bytes):\n"
        "\n"
        "    {\"error\":\"gone\"}\n"
        "\n"
        "Timeline\n"
        "  2026-12-01T10:00:00Z  opened by probewatch[bot]: API health is failing\n"
        "  2026-12-01T11:00:00Z  comment by alice: Looking into it @ops\n"
        "  2026-12-01T12:00:00Z  comment by probewatch[bot]: Still failing after 2h: status 404\n"
        "  2026-12-01T14:00:00Z  closed: completed\n");
  const auto json = nlohmann::json::parse(pw::incident_json(details));
  CHECK(json["check"] == "api-health");
  CHECK(json["runs_failed"] == 24);
  CHECK(json["timeline"].size() == 4);
  CHECK(json["timeline"][3]["kind"] == "closed");
}

TEST_CASE("incident_text: an issue without a marker says so") {
  pw::ShownIssue issue;
  issue.number = 3;
  issue.title = "Something else";
  issue.state = "open";
  issue.user = "bob";
  issue.created_at = "2026-12-01T10:00:00Z";
  issue.body = "hello";
  const std::string text = pw::incident_text(pw::describe_incident(issue, {}), {});
  CHECK(text ==
        "#3 [open] Something else\ncheck:    none (this issue has no probewatch incident marker)\n\nhello\n\n"
        "Timeline\n  2026-12-01T10:00:00Z  opened by bob: Something else\n");
}
