#include <bot/cli/commands.hpp>
#include <bot/cli/run_outcome.hpp>
#include <bot/cli/tracker_setup.hpp>
#include <bot/render/incident_text.hpp>

#include <fmt/format.h>

namespace pw {

namespace {

// The tracker's issue and comments as render's plain view of them.
ShownIssue shown_issue(const github::Issue& issue) {
  return {issue.number,    issue.title, issue.body,     issue.state, issue.state_reason, issue.labels,
          issue.assignees, issue.type,  issue.html_url, issue.user,  issue.created_at,   issue.closed_at};
}

std::vector<ShownComment> shown_comments(const std::vector<github::Comment>& comments) {
  std::vector<ShownComment> out;
  out.reserve(comments.size());
  for (const github::Comment& comment : comments) {
    out.push_back({comment.body, comment.user, comment.created_at});
  }
  return out;
}

}  // namespace

int command_show(const Options& options, AppContext& context) {
  Redactor secrets;
  auto trackers = make_trackers(options, {""}, secrets, context);
  if (!trackers) {
    return k_exit_usage;
  }
  Tracker& tracker = trackers->for_repo(std::nullopt);
  auto issue = tracker.get(options.issue);
  if (!issue) {
    const bool missing = issue.error().kind == github::ErrorKind::not_found;
    context.err << secrets.apply(
        missing ? fmt::format("probewatch: no issue #{} in {}; `probewatch triage` lists the incidents there\n",
                              options.issue, tracker.where())
                : fmt::format("probewatch: could not read #{} from {}: {}\n", options.issue, tracker.where(),
                              issue.error().to_string()));
    return missing ? k_exit_usage : k_exit_tracker;
  }
  if (issue->html_url.empty()) {
    issue->html_url = trackers->issue_url(std::nullopt, issue->number);
  }
  auto comments = tracker.comments(options.issue);
  if (!comments) {
    context.err << secrets.apply(fmt::format("probewatch: could not read the comments of #{} from {}: {}\n",
                                             options.issue, tracker.where(), comments.error().to_string()));
    return k_exit_tracker;
  }
  const IncidentDetails details = describe_incident(shown_issue(*issue), shown_comments(*comments));
  context.out << secrets.apply(options.json ? incident_json(details) : incident_text(details, context.clock.now()));
  return k_exit_ok;
}

}  // namespace pw
