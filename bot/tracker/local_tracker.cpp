#include <bot/tracker/local_tracker.hpp>

#include <github_client/iso8601.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

namespace pw {

namespace {

using nlohmann::json;

github::Error file_error(const std::string& message) { return github::Error{github::ErrorKind::transport, 0, message}; }

github::Error missing(int number) {
  return github::Error{github::ErrorKind::not_found, 404,
                       fmt::format("issue #{} does not exist in the local tracker", number)};
}

// Holds an exclusive lock on "<path>.lock" for the duration of one operation.
class FileLock {
 public:
  explicit FileLock(const std::string& path) {
    m_fd = ::open((path + ".lock").c_str(), O_CREAT | O_RDWR | O_CLOEXEC, 0644);
    if (m_fd >= 0) {
      ::flock(m_fd, LOCK_EX);
    }
  }
  ~FileLock() {
    if (m_fd >= 0) {
      ::flock(m_fd, LOCK_UN);
      ::close(m_fd);
    }
  }
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;
  bool ok() const { return m_fd >= 0; }

 private:
  int m_fd = -1;
};

github::Issue issue_of(const json& item) {
  github::Issue issue;
  issue.number = item.value("number", 0);
  issue.title = item.value("title", "");
  issue.body = item.value("body", "");
  issue.state = item.value("state", "open");
  issue.state_reason = item.value("state_reason", "");
  issue.labels = item.value("labels", std::vector<std::string>{});
  issue.assignees = item.value("assignees", std::vector<std::string>{});
  issue.html_url = item.value("html_url", "");
  issue.user = item.value("user", LocalTracker::k_author);
  issue.created_at = item.value("created_at", "");
  issue.updated_at = item.value("updated_at", "");
  issue.closed_at = item.value("closed_at", "");
  return issue;
}

// Runs `change` on the file's document under the lock; writes it back when `write` is set.
template <class T>
TrackerResult<T> with_file(const std::string& path, bool write, const std::function<TrackerResult<T>(json&)>& change) {
  const std::filesystem::path file(path);
  std::error_code ec;
  if (file.has_parent_path()) {
    std::filesystem::create_directories(file.parent_path(), ec);
    if (ec) {
      return std::unexpected(
          file_error(fmt::format("cannot create {}: {}", file.parent_path().string(), ec.message())));
    }
  }
  FileLock lock(path);
  if (!lock.ok()) {
    return std::unexpected(file_error(fmt::format("cannot lock {}.lock: {}", path, std::strerror(errno))));
  }
  json document = {{"version", 1}, {"next_number", 1}, {"issues", json::array()}};
  if (std::ifstream in(path); in) {
    std::stringstream text;
    text << in.rdbuf();
    if (!text.str().empty()) {
      document = json::parse(text.str(), nullptr, false);
      if (document.is_discarded() || !document.is_object() || !document.contains("issues") ||
          !document["issues"].is_array()) {
        return std::unexpected(file_error(fmt::format(
            "{} is not a probewatch issues file; move it away or point --tracker local:PATH elsewhere", path)));
      }
    }
  }
  auto result = change(document);
  if (result && write) {
    const std::string temp = path + ".tmp";
    {
      std::ofstream out(temp, std::ios::trunc);
      out << document.dump(2) << "\n";
      if (!out) {
        return std::unexpected(file_error(fmt::format("cannot write {}", temp)));
      }
    }
    std::filesystem::rename(temp, path, ec);
    if (ec) {
      return std::unexpected(file_error(fmt::format("cannot replace {}: {}", path, ec.message())));
    }
  }
  return result;
}

json* find_issue(json& document, int number) {
  for (json& item : document["issues"]) {
    if (item.value("number", 0) == number) {
      return &item;
    }
  }
  return nullptr;
}

bool has_label(const json& item, const std::string& label) {
  const auto labels = item.value("labels", std::vector<std::string>{});
  return std::find(labels.begin(), labels.end(), label) != labels.end();
}

// The issues in `state` ("open" or "closed") that carry `label`, in file order.
std::vector<github::Issue> labeled(json& document, std::string_view state, const std::string& label) {
  std::vector<github::Issue> out;
  for (const json& item : document["issues"]) {
    if (item.value("state", "open") == state && has_label(item, label)) {
      out.push_back(issue_of(item));
    }
  }
  return out;
}

}  // namespace

TrackerResult<std::vector<github::Issue>> LocalTracker::list_open(const std::string& label) {
  ++m_requests;
  return with_file<std::vector<github::Issue>>(
      m_path, false,
      [&](json& document) -> TrackerResult<std::vector<github::Issue>> { return labeled(document, "open", label); });
}

TrackerResult<std::vector<github::Issue>> LocalTracker::list_recently_closed(const std::string& label) {
  ++m_requests;
  return with_file<std::vector<github::Issue>>(
      m_path, false, [&](json& document) -> TrackerResult<std::vector<github::Issue>> {
        std::vector<github::Issue> out = labeled(document, "closed", label);
        std::stable_sort(out.begin(), out.end(),
                         [](const auto& a, const auto& b) { return a.updated_at > b.updated_at; });
        if (out.size() > k_recently_closed_limit) {
          out.resize(k_recently_closed_limit);
        }
        return out;
      });
}

TrackerResult<github::Issue> LocalTracker::get(int number) {
  ++m_requests;
  return with_file<github::Issue>(m_path, false, [&](json& document) -> TrackerResult<github::Issue> {
    const json* item = find_issue(document, number);
    if (item == nullptr) {
      return std::unexpected(missing(number));
    }
    return issue_of(*item);
  });
}

TrackerResult<github::Issue> LocalTracker::create(const github::NewIssue& issue) {
  ++m_requests;
  const std::string now = github::format_iso8601(m_clock.now());
  return with_file<github::Issue>(m_path, true, [&](json& document) -> TrackerResult<github::Issue> {
    const int number = document.value("next_number", 1);
    document["next_number"] = number + 1;
    json item = {{"number", number},
                 {"title", issue.title},
                 {"body", issue.body},
                 {"state", "open"},
                 {"state_reason", ""},
                 {"labels", issue.labels},
                 {"assignees", issue.assignees},
                 {"user", LocalTracker::k_author},
                 {"created_at", now},
                 {"updated_at", now},
                 {"closed_at", ""},
                 {"comments", json::array()},
                 {"html_url", fmt::format("{}#{}", m_path, number)}};
    if (issue.milestone) {
      item["milestone"] = *issue.milestone;
    }
    document["issues"].push_back(item);
    return issue_of(item);
  });
}

TrackerResult<github::Issue> LocalTracker::update(int number, const github::IssueUpdate& update) {
  ++m_requests;
  const std::string now = github::format_iso8601(m_clock.now());
  return with_file<github::Issue>(m_path, true, [&](json& document) -> TrackerResult<github::Issue> {
    json* item = find_issue(document, number);
    if (item == nullptr) {
      return std::unexpected(missing(number));
    }
    if (update.title) {
      (*item)["title"] = *update.title;
    }
    if (update.body) {
      (*item)["body"] = *update.body;
    }
    if (update.state) {
      const bool closing = *update.state == "closed" && item->value("state", "open") != "closed";
      (*item)["state"] = *update.state;
      (*item)["closed_at"] = *update.state == "closed" ? (closing ? now : item->value("closed_at", now)) : "";
      (*item)["state_reason"] = update.state_reason.value_or(*update.state == "closed" ? "completed" : "reopened");
    } else if (update.state_reason) {
      (*item)["state_reason"] = *update.state_reason;
    }
    (*item)["updated_at"] = now;
    return issue_of(*item);
  });
}

TrackerResult<github::Comment> LocalTracker::comment(int number, const std::string& body) {
  ++m_requests;
  const std::string now = github::format_iso8601(m_clock.now());
  return with_file<github::Comment>(m_path, true, [&](json& document) -> TrackerResult<github::Comment> {
    json* item = find_issue(document, number);
    if (item == nullptr) {
      return std::unexpected(missing(number));
    }
    json& comments = (*item)["comments"];
    if (!comments.is_array()) {
      comments = json::array();
    }
    std::int64_t id = static_cast<std::int64_t>(number) * 100000 + 1;
    for (const json& earlier : comments) {
      id = std::max(id, earlier.value("id", std::int64_t{0}) + 1);  // ids stay unique after a deletion
    }
    comments.push_back({{"id", id}, {"body", body}, {"created_at", now}});
    (*item)["updated_at"] = now;
    return github::Comment{id, body, fmt::format("{}#{}", m_path, number), "probewatch", now};
  });
}

TrackerResult<void> LocalTracker::delete_comment(int number, std::int64_t id) {
  ++m_requests;
  return with_file<void>(m_path, true, [&](json& document) -> TrackerResult<void> {
    json* item = find_issue(document, number);
    if (item == nullptr) {
      return std::unexpected(missing(number));
    }
    json& comments = (*item)["comments"];
    if (comments.is_array()) {
      json kept = json::array();
      for (json& comment : comments) {
        if (comment.value("id", std::int64_t{0}) != id) {
          kept.push_back(std::move(comment));
        }
      }
      comments = std::move(kept);
    }
    return {};
  });
}

TrackerResult<std::vector<github::Label>> LocalTracker::add_labels(int number, const std::vector<std::string>& labels) {
  ++m_requests;
  return with_file<std::vector<github::Label>>(
      m_path, true, [&](json& document) -> TrackerResult<std::vector<github::Label>> {
        json* item = find_issue(document, number);
        if (item == nullptr) {
          return std::unexpected(missing(number));
        }
        auto current = item->value("labels", std::vector<std::string>{});
        for (const std::string& label : labels) {
          if (std::find(current.begin(), current.end(), label) == current.end()) {
            current.push_back(label);
          }
        }
        (*item)["labels"] = current;
        std::vector<github::Label> out;
        for (const std::string& label : current) {
          out.push_back({label, "", ""});
        }
        return out;
      });
}

TrackerResult<std::vector<github::Comment>> LocalTracker::comments(int number, std::optional<TimePoint> since) {
  return with_file<std::vector<github::Comment>>(
      m_path, false, [&](json& document) -> TrackerResult<std::vector<github::Comment>> {
        json* item = find_issue(document, number);
        if (item == nullptr) {
          return std::unexpected(missing(number));
        }
        std::vector<github::Comment> out;
        for (const json& comment : item->value("comments", json::array())) {
          github::Comment read{comment.value("id", std::int64_t{0}), comment.value("body", ""), "",
                               LocalTracker::k_author, comment.value("created_at", "")};
          const auto created = github::parse_iso8601(read.created_at);
          if (!since || !created || *created >= *since) {
            out.push_back(std::move(read));
          }
        }
        return out;
      });
}

}  // namespace pw
