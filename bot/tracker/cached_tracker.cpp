#include <bot/tracker/cached_tracker.hpp>

#include <bot/core/text.hpp>

#include <algorithm>

namespace pw {

namespace {

bool carries(const github::Issue& issue, const std::string& label) {
  const std::string wanted = to_lower(label);
  return std::any_of(issue.labels.begin(), issue.labels.end(),
                     [&](const std::string& name) { return to_lower(name) == wanted; });
}

}  // namespace

bool CachedTracker::remembers(const std::string& label) const {
  return m_list && to_lower(label) == to_lower(m_label) && m_clock.now() - m_listed_at < m_relist;
}

TrackerResult<std::vector<github::Issue>> CachedTracker::list_open(const std::string& label) {
  if (remembers(label)) {
    return *m_list;
  }
  auto listed = checked(m_inner->list_open(label));
  if (listed) {
    m_label = label;
    m_list = *listed;
    m_listed_at = m_clock.now();
  }
  return listed;
}

TrackerResult<std::vector<github::Issue>> CachedTracker::list_recently_closed(const std::string& label) {
  return checked(m_inner->list_recently_closed(label));
}

TrackerResult<github::Issue> CachedTracker::get(int number) {
  // A sync asks for an issue only when the list and its memory disagree: the list may be stale.
  auto found = m_inner->get(number);
  invalidate();
  return found;
}

TrackerResult<github::Issue> CachedTracker::create(const github::NewIssue& issue) {
  auto created = m_inner->create(issue);
  invalidate();  // the recheck for duplicates that follows a create lists for real
  return created;
}

TrackerResult<github::Issue> CachedTracker::update(int number, const github::IssueUpdate& update) {
  auto updated = checked(m_inner->update(number, update));
  if (updated) {
    if (updated->number != number) {
      invalidate();
    } else {
      remember(*updated);
    }
  }
  return updated;
}

TrackerResult<github::Comment> CachedTracker::comment(int number, const std::string& body) {
  return checked(m_inner->comment(number, body));
}

TrackerResult<std::vector<github::Comment>> CachedTracker::comments(int number, std::optional<TimePoint> since) {
  return checked(m_inner->comments(number, since));
}

TrackerResult<void> CachedTracker::delete_comment(int number, std::int64_t id) {
  return checked(m_inner->delete_comment(number, id));
}

TrackerResult<std::vector<github::Label>> CachedTracker::add_labels(int number,
                                                                    const std::vector<std::string>& labels) {
  auto added = checked(m_inner->add_labels(number, labels));
  if (added && m_list) {
    for (github::Issue& issue : *m_list) {
      if (issue.number == number) {
        issue.labels.clear();
        for (const github::Label& label : *added) {
          issue.labels.push_back(label.name);
        }
      }
    }
  }
  return added;
}

TrackerResult<github::Label> CachedTracker::ensure_label(const github::Label& label) {
  const std::string key = to_lower(label.name);
  if (m_labels_made.count(key) != 0) {
    return label;
  }
  auto made = checked(m_inner->ensure_label(label));
  if (made) {
    m_labels_made.insert(key);
  }
  return made;
}

TrackerResult<std::string> CachedTracker::whoami() {
  if (m_login) {
    return *m_login;
  }
  auto login = m_inner->whoami();
  if (login) {
    m_login = *login;
  }
  return login;
}

void CachedTracker::remember(const github::Issue& issue) {
  if (!m_list) {
    return;
  }
  auto found =
      std::find_if(m_list->begin(), m_list->end(), [&](const github::Issue& i) { return i.number == issue.number; });
  const bool keep = issue.state == "open" && !issue.pull_request && carries(issue, m_label);
  if (found == m_list->end()) {
    if (keep) {
      m_list->push_back(issue);
    }
  } else if (keep) {
    *found = issue;
  } else {
    m_list->erase(found);
  }
}

}  // namespace pw
