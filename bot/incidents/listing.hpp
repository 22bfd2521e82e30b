#pragma once

#include <bot/incidents/sync_state.hpp>

#include <cstddef>
#include <map>
#include <optional>
#include <vector>

namespace pw {

// A quiet run in one request, however many incidents are open.
//
// A run starts with one page of the issues carrying the label, open and closed, most recently
// updated first. When nothing follows that page, it is the whole label. Otherwise the dashboard
// on it remembers the open incidents as the last complete listing left them (after that run's own
// writes) and the latest updated_at among them (as_of). Every issue changed since then (closed,
// reopened, edited, commented on, created) has a later updated_at, so when the page reaches back
// past as_of, it holds every change and the rest of the label is as remembered. A plan read that
// way is carried out only when it writes nothing but the dashboard; one that would write to an
// incident lists every page first and decides again. Removing the label is the one change such a
// page cannot show: it is seen by the next run that lists in full, at the latest before any write
// to that issue.

// How many issues one page of the API holds.
inline constexpr std::size_t k_page_size = 100;
// The most incidents a listing remembers; above it, every run lists in full.
inline constexpr std::size_t k_listing_limit = 200;

// The open issues carrying the label, as a run reads them.
struct LabelView {
  std::vector<github::Issue> open;
  bool complete = false;  // read from the tracker alone (every page, or a page with nothing after it)
};

// Returns the view the first page gives, with the listing of the dashboard on it when more pages
// follow; nullopt when the page cannot tell (no such dashboard, the page does not reach back to
// the listing, or the listing and the page disagree): then the run lists every page.
std::optional<LabelView> view_from_page(const github::IssuePage& page, const Ownership& owner);

// Returns the listing to remember: the open incidents of `owner` among `issues` (the run's managed
// issues, kept current by its writes), without the dashboard `dashboard_issue`, and the open
// maintenance issues that paused checks. It is dated by the latest updated_at among them and
// `floor` (the latest of the run's first page but for the dashboard, whose own writes never date
// it: a quiet run that lists in full then finds the same listing and writes nothing); nullopt
// when there are more than k_listing_limit or nothing dates it.
std::optional<Listing> listing_of(const std::map<int, github::Issue>& issues, const Ownership& owner,
                                  int dashboard_issue, std::vector<int> maintenance, TimePoint floor);

// Returns the latest updated_at on `page` but for dashboards (`dashboard_issue`, and any other
// config's or shard's); the epoch when none.
TimePoint latest_but(const github::IssuePage& page, int dashboard_issue);

// True when the label may hold more than one page after this run: a listing is worth keeping.
bool worth_listing(const github::IssuePage& page, std::size_t created);

}  // namespace pw
