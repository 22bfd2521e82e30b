#include <bot/incidents/listing.hpp>

#include <bot/core/timestamp.hpp>

#include <algorithm>
#include <set>
#include <string>
#include <variant>

namespace pw {

namespace {

// The web address of issue `number`, from the dashboard's own (".../issues/12").
std::string url_like(const std::string& dashboard_url, int number) {
  const std::size_t slash = dashboard_url.rfind('/');
  return slash == std::string::npos ? std::string() : dashboard_url.substr(0, slash + 1) + std::to_string(number);
}

void by_number(std::vector<github::Issue>& issues) {
  std::sort(issues.begin(), issues.end(),
            [](const github::Issue& a, const github::Issue& b) { return a.number < b.number; });
}

}  // namespace

std::optional<LabelView> view_from_page(const github::IssuePage& page, const Ownership& owner) {
  LabelView view;
  for (const github::Issue& issue : page.issues) {
    if (issue.state == "open") {
      view.open.push_back(issue);
    }
  }
  by_number(view.open);  // as a complete list reads them (oldest first)
  if (!page.more) {
    view.complete = true;
    return view;
  }
  const TrackedIssues tracked = sort_out(view.open, owner);
  if (!tracked.dashboard || !tracked.dashboard->listing) {
    return std::nullopt;
  }
  const Listing& listing = *tracked.dashboard->listing;
  const auto oldest = parse_timestamp(page.oldest_updated);
  if (!oldest || *oldest > listing.as_of) {
    return std::nullopt;  // more changed since the listing than one page shows
  }
  std::set<int> on_page;
  for (const github::Issue& issue : page.issues) {
    on_page.insert(issue.number);
  }
  for (const int number : listing.maintenance) {
    if (!on_page.contains(number)) {
      return std::nullopt;  // a maintenance issue's body (its checks: line) is not remembered
    }
  }
  const std::string& dashboard_url = tracked.issues.at(tracked.dashboard_issue).html_url;
  for (const ListedIssue& listed : listing.issues) {
    if (on_page.contains(listed.number)) {
      continue;  // the page tells how it is now, open or closed
    }
    if (listed.updated > *oldest) {
      return std::nullopt;  // it should be on the page: it lost the label, or was deleted or moved
    }
    github::Issue issue;
    issue.number = listed.number;
    issue.state = "open";
    issue.labels = {owner.label};
    issue.user = listed.author;
    issue.body = format_marker(listed.incident);
    issue.updated_at = format_timestamp(listed.updated);
    issue.html_url = url_like(dashboard_url, listed.number);
    view.open.push_back(std::move(issue));
  }
  by_number(view.open);
  return view;
}

std::optional<Listing> listing_of(const std::map<int, github::Issue>& issues, const Ownership& owner,
                                  int dashboard_issue, std::vector<int> maintenance, TimePoint floor) {
  Listing listing;
  listing.as_of = floor;
  std::sort(maintenance.begin(), maintenance.end());
  maintenance.erase(std::unique(maintenance.begin(), maintenance.end()), maintenance.end());
  listing.maintenance = std::move(maintenance);
  for (const auto& [number, issue] : issues) {
    if (number == dashboard_issue) {
      continue;
    }
    const auto updated = parse_timestamp(issue.updated_at);
    if (!updated) {
      return std::nullopt;
    }
    listing.as_of = std::max(listing.as_of, *updated);  // closed this run, too
    if (issue.state != "open" || issue.pull_request || !owner.trusts(issue.user)) {
      continue;
    }
    const auto marker = parse_marker(issue.body);
    const auto* incident = marker ? std::get_if<IncidentState>(&*marker) : nullptr;
    if (incident == nullptr || !owner.owns(*incident)) {
      continue;
    }
    listing.issues.push_back({number, *updated, issue.user, *incident});
  }
  if (listing.as_of == TimePoint{} || listing.issues.size() > k_listing_limit) {
    return std::nullopt;
  }
  return listing;
}

TimePoint latest_but(const github::IssuePage& page, int dashboard_issue) {
  TimePoint latest{};
  for (const github::Issue& issue : page.issues) {
    const auto marker = issue.number == dashboard_issue ? std::nullopt : parse_marker(issue.body);
    // No dashboard dates it, another config's or shard's neither: two that did would date each
    // other's listing after every write, and rewrite each other for ever.
    const bool dashboard =
        issue.number == dashboard_issue || (marker && std::holds_alternative<DashboardState>(*marker));
    if (!dashboard) {
      latest = std::max(latest, parse_timestamp(issue.updated_at).value_or(TimePoint{}));
    }
  }
  return latest;
}

bool worth_listing(const github::IssuePage& page, std::size_t created) {
  return page.more || page.items + created >= k_page_size;
}

}  // namespace pw
