#pragma once

#include <bot/reconcile/marker.hpp>

#include <github_client/types.hpp>

#include <optional>
#include <string>
#include <vector>

namespace pw {

// An open issue probewatch manages, as triage lists it.
struct ManagedIncident {
  github::Issue issue;
  IncidentState state;
};

// Returns the open issues whose marker is an incident, oldest first.
std::vector<ManagedIncident> managed_incidents(const std::vector<github::Issue>& open);

// A title reduced to what identifies the problem: lower case, single spaces, no trailing
// punctuation, and no dates or times (so "API down 2026-11-27 10:05" matches "API down").
std::string normalize_title(std::string_view title);

// Issues that report the same thing: the first (oldest) is kept, the rest are duplicates of it.
struct DuplicateGroup {
  std::string key;  // the check id, or the normalized title of legacy issues
  github::Issue keep;
  std::vector<github::Issue> duplicates;
};

// Groups open issues that report the same thing: managed incidents by their marker's config and check id and,
// when `legacy_label` is set, issues under that label without a marker by normalized title.
// Issues with different keys are never merged; groups of one are left out.
std::vector<DuplicateGroup> find_duplicates(const std::vector<github::Issue>& open,
                                            const std::optional<std::string>& legacy_label);

}  // namespace pw
