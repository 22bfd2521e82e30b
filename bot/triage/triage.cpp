#include <bot/triage/triage.hpp>

#include <bot/core/text.hpp>
#include <bot/reconcile/reconcile.hpp>

#include <algorithm>
#include <map>

namespace pw {

namespace {

bool older(const github::Issue& a, const github::Issue& b) { return kept_first(a.number, b.number); }

bool digit(char c) { return c >= '0' && c <= '9'; }

// Length of a date (2026-11-27) or time (10:05, 10:05:33, with optional Z) starting at i, or 0.
std::size_t stamp_length(std::string_view text, std::size_t i) {
  auto digits = [&](std::size_t at, std::size_t count) {
    if (at + count > text.size()) {
      return false;
    }
    for (std::size_t k = at; k < at + count; ++k) {
      if (!digit(text[k])) {
        return false;
      }
    }
    return true;
  };
  if ((i == 0 || !digit(text[i - 1])) && digits(i, 4) && i + 4 < text.size() && text[i + 4] == '-' &&
      digits(i + 5, 2) && i + 7 < text.size() && text[i + 7] == '-' && digits(i + 8, 2)) {
    std::size_t end = i + 10;
    if (end < text.size() && (text[end] == 't' || text[end] == ' ') && digits(end + 1, 2) && end + 3 < text.size() &&
        text[end + 3] == ':') {
      end += 1;  // a time follows: "2026-11-27t10:05"
      return end - i + stamp_length(text, end);
    }
    return end - i;
  }
  if ((i == 0 || !digit(text[i - 1])) && digits(i, 2) && i + 2 < text.size() && text[i + 2] == ':' &&
      digits(i + 3, 2)) {
    std::size_t end = i + 5;
    if (end < text.size() && text[end] == ':' && digits(end + 1, 2)) {
      end += 3;
    }
    if (end < text.size() && text[end] == '.') {
      ++end;
      while (end < text.size() && digit(text[end])) {
        ++end;
      }
    }
    if (end < text.size() && text[end] == 'z') {
      ++end;
    }
    return (end < text.size() && digit(text[end])) ? 0 : end - i;
  }
  return 0;
}

}  // namespace

std::vector<ManagedIncident> managed_incidents(const std::vector<github::Issue>& open) {
  std::vector<ManagedIncident> out;
  for (const github::Issue& issue : open) {
    auto marker = parse_marker(issue.body);
    if (const auto* incident = marker ? std::get_if<IncidentState>(&*marker) : nullptr) {
      out.push_back({issue, *incident});
    }
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return older(a.issue, b.issue); });
  return out;
}

std::string normalize_title(std::string_view title) {
  const std::string lowered = to_lower(sanitize_utf8(title));
  std::string out;
  for (std::size_t i = 0; i < lowered.size();) {
    if (const std::size_t stamp = stamp_length(lowered, i); stamp > 0) {
      i += stamp;
      continue;
    }
    const char c = lowered[i++];
    const bool space = c == ' ' || c == '\t' || c == '\n' || c == '\r';
    if (space) {
      if (!out.empty() && out.back() != ' ') {
        out += ' ';
      }
    } else {
      out += c;
    }
  }
  while (!out.empty() &&
         (out.back() == ' ' || out.back() == '.' || out.back() == '!' || out.back() == ':' || out.back() == '-' ||
          out.back() == '(' || out.back() == ')' || out.back() == '[' || out.back() == ']' || out.back() == ',')) {
    out.pop_back();
  }
  while (!out.empty() && out.front() == ' ') {
    out.erase(out.begin());
  }
  return out;
}

std::vector<DuplicateGroup> find_duplicates(const std::vector<github::Issue>& open,
                                            const std::optional<std::string>& legacy_label) {
  std::map<std::string, std::vector<github::Issue>> by_key;
  for (const github::Issue& issue : open) {
    auto marker = parse_marker(issue.body);
    if (marker) {
      if (const auto* incident = std::get_if<IncidentState>(&*marker)) {
        // Two config files may watch checks with one id: each config's incidents are its own.
        by_key["check:" + incident->config + "\n" + incident->check].push_back(issue);
      }
      continue;  // dashboards are never duplicates of anything here
    }
    if (legacy_label && std::find(issue.labels.begin(), issue.labels.end(), *legacy_label) != issue.labels.end()) {
      const std::string title = normalize_title(issue.title);
      if (!title.empty()) {
        by_key["title:" + title].push_back(issue);
      }
    }
  }
  std::vector<DuplicateGroup> groups;
  for (auto& [key, issues] : by_key) {
    if (issues.size() < 2) {
      continue;
    }
    std::sort(issues.begin(), issues.end(), older);
    std::string shown = key.substr(key.find(':') + 1);
    if (key.starts_with("check:")) {
      shown = shown.substr(shown.find('\n') + 1);
    }
    DuplicateGroup group{std::move(shown), issues.front(), {}};
    group.duplicates.assign(issues.begin() + 1, issues.end());
    groups.push_back(std::move(group));
  }
  return groups;
}

}  // namespace pw
