#include <bot/tracker/local_tracker.hpp>

#include <github_client/iso8601.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <vector>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

namespace pw {

namespace {

using nlohmann::json;

github::Error file_error(const std::string& message) { return github::Error{github::ErrorKind::transport, 0, message}; }

github::Error missing(int number) {
  return github::Error{github::ErrorKind::not_found, 404,
                       fmt::format("issue #{} does not exist in the local tracker", number)};
}

const char* type_name(const json& value) {
  switch (value.type()) {
    case json::value_t::null: return "null";
    case json::value_t::boolean: return "a boolean";
    case json::value_t::string: return "a string";
    case json::value_t::array: return "an array";
    case json::value_t::object: return "an object";
    case json::value_t::discarded: return "invalid";
    default: return "a number";
  }
}

bool string_array(const json& value) {
  return value.is_array() && std::all_of(value.begin(), value.end(), [](const json& v) { return v.is_string(); });
}

// Returns what is wrong with one issue entry ("\"labels\" must be ..."), or "" when it is valid.
std::string entry_problem(const json& item) {
  if (!item.is_object()) {
    return fmt::format("must be an object, not {}", type_name(item));
  }
  if (!item.contains("number") || !item["number"].is_number_integer() || item["number"].get<long long>() < 1) {
    return "\"number\" must be a whole number of at least 1";
  }
  for (const char* key : {"title", "body", "state", "state_reason", "html_url", "user", "created_at", "updated_at",
                          "closed_at", "type"}) {
    if (item.contains(key) && !item[key].is_string()) {
      return fmt::format("\"{}\" must be a string, not {}", key, type_name(item[key]));
    }
  }
  if (item.contains("state") && item["state"] != "open" && item["state"] != "closed") {
    return fmt::format("\"state\" must be \"open\" or \"closed\", not {}", item["state"].dump());
  }
  for (const char* key : {"labels", "assignees"}) {
    if (item.contains(key) && !string_array(item[key])) {
      return fmt::format("\"{}\" must be an array of strings, not {}", key, type_name(item[key]));
    }
  }
  if (item.contains("milestone") && !item["milestone"].is_number_integer()) {
    return fmt::format("\"milestone\" must be a whole number, not {}", type_name(item["milestone"]));
  }
  if (item.contains("comments")) {
    const json& comments = item["comments"];
    if (!comments.is_array()) {
      return fmt::format("\"comments\" must be an array, not {}", type_name(comments));
    }
    for (std::size_t i = 0; i < comments.size(); ++i) {
      const json& comment = comments[i];
      if (!comment.is_object()) {
        return fmt::format("comment {} must be an object, not {}", i + 1, type_name(comment));
      }
      if (comment.contains("id") && !comment["id"].is_number_integer()) {
        return fmt::format("comment {}: \"id\" must be a whole number, not {}", i + 1, type_name(comment["id"]));
      }
      for (const char* key : {"body", "created_at"}) {
        if (comment.contains(key) && !comment[key].is_string()) {
          return fmt::format("comment {}: \"{}\" must be a string, not {}", i + 1, key, type_name(comment[key]));
        }
      }
    }
  }
  return "";
}

github::Issue issue_of(const json& item) {
  github::Issue issue;
  issue.number = item.value("number", 0);
  issue.title = item.value("title", "");
  issue.body = item.value("body", "");
  issue.state = item.value("state", "open");
  issue.state_reason = item.value("state_reason", "");
  issue.labels = item.value("labels", std::vector<std::string>{});
  issue.assignees = item.value("assignees", std::vector<std::string>{});
  issue.type = item.value("type", "");
  issue.html_url = item.value("html_url", "");
  issue.user = item.value("user", LocalTracker::k_author);
  issue.created_at = item.value("created_at", "");
  issue.updated_at = item.value("updated_at", "");
  issue.closed_at = item.value("closed_at", "");
  return issue;
}

bool has_label(const json& item, const std::string& label) {
  const auto labels = item.value("labels", std::vector<std::string>{});
  return std::find(labels.begin(), labels.end(), label) != labels.end();
}

// Writes all of `text` to `fd`; false with errno set on failure.
bool write_all(int fd, std::string_view text) {
  while (!text.empty()) {
    const ssize_t written = ::write(fd, text.data(), text.size());
    if (written < 0) {
      if (errno == EINTR) {
        continue;
      }
      return false;
    }
    text.remove_prefix(static_cast<std::size_t>(written));
  }
  return true;
}

std::string read_lock_holder(int fd) {
  char buffer[512];
  const ssize_t got = ::pread(fd, buffer, sizeof buffer - 1, 0);
  std::string holder(buffer, got > 0 ? static_cast<std::size_t>(got) : 0);
  while (!holder.empty() && (holder.back() == '\n' || holder.back() == ' ')) {
    holder.pop_back();
  }
  return holder.empty() ? "another process" : holder;
}

std::string host_name() {
  char name[256] = {};
  return ::gethostname(name, sizeof name - 1) == 0 ? std::string(name) : std::string("this host");
}

}  // namespace

struct LocalTracker::Data {
  int next_number = 1;
  std::vector<json> issues;          // validated entries, in file order
  std::map<int, std::size_t> index;  // number -> position in issues
  json document;                     // the rest of the file, kept as read

  json* find(int number) {
    const auto found = index.find(number);
    return found == index.end() ? nullptr : &issues[found->second];
  }
};

LocalTracker::LocalTracker(std::string path, Clock& clock, LocalTrackerOptions options)
    : m_path(std::move(path)), m_clock(clock), m_options(std::move(options)), m_data(std::make_unique<Data>()) {}

LocalTracker::~LocalTracker() {
  // A caller that returned early without commit() still keeps what it did: writes never get lost
  // silently. The error, if any, was already someone's to report; there is no one to tell here.
  if (m_dirty) {
    (void)commit();
  }
  release_lock();
}

void LocalTracker::release_lock() {
  if (m_lock_fd >= 0) {
    (void)::ftruncate(m_lock_fd, 0);
    ::flock(m_lock_fd, LOCK_UN);
    ::close(m_lock_fd);
    m_lock_fd = -1;
  }
}

TrackerResult<void> LocalTracker::open() {
  if (m_opened) {
    if (m_open_error) {
      return std::unexpected(*m_open_error);
    }
    return {};
  }
  m_opened = true;
  auto fail = [&](std::string message) -> TrackerResult<void> {
    m_open_error = file_error(std::move(message));
    release_lock();
    return std::unexpected(*m_open_error);
  };
  const std::filesystem::path file(m_path);
  std::error_code ec;
  struct stat info {};
  const bool exists = ::stat(m_path.c_str(), &info) == 0;
  if (!m_options.read_only) {
    if (exists && ((info.st_mode & (S_IWUSR | S_IWGRP | S_IWOTH)) == 0 || ::access(m_path.c_str(), W_OK) != 0)) {
      return fail(
          fmt::format("{} is read-only: probewatch never replaces a file it may not write; make it writable "
                      "(chmod u+w {}) or point --tracker local:PATH elsewhere",
                      m_path, m_path));
    }
    if (file.has_parent_path()) {
      std::filesystem::create_directories(file.parent_path(), ec);
      if (ec) {
        return fail(fmt::format("cannot create {}: {}", file.parent_path().string(), ec.message()));
      }
    }
    const std::string lock_path = m_path + ".lock";
    m_lock_fd = ::open(lock_path.c_str(), O_CREAT | O_RDWR | O_CLOEXEC, 0644);
    if (m_lock_fd < 0) {
      return fail(fmt::format("cannot open the lock file {}: {}", lock_path, std::strerror(errno)));
    }
    const TimePoint give_up = m_clock.now() + m_options.lock_wait;
    while (::flock(m_lock_fd, LOCK_EX | LOCK_NB) != 0) {
      if (errno != EWOULDBLOCK && errno != EINTR) {
        return fail(fmt::format("cannot lock {}: {}", lock_path, std::strerror(errno)));
      }
      if (m_clock.now() >= give_up) {
        const std::string holder = read_lock_holder(m_lock_fd);
        return fail(
            fmt::format("{} is locked by {}; gave up after waiting {}s. Run again when that run has "
                        "finished (the lock is released when its process ends)",
                        m_path, holder, m_options.lock_wait.count() / 1000));
      }
      m_clock.sleep_for(std::chrono::milliseconds(100));
    }
    const std::string holder = fmt::format("probewatch pid {} on {} since {}\n", ::getpid(), host_name(),
                                           github::format_iso8601(m_clock.now()));
    if (::ftruncate(m_lock_fd, 0) != 0 || !write_all(m_lock_fd, holder)) {
      return fail(fmt::format("cannot write the lock file {}: {}", lock_path, std::strerror(errno)));
    }
  }
  m_data->document = {{"version", k_schema_version}, {"next_number", 1}};
  if (!exists) {
    return {};
  }
  std::ifstream in(m_path, std::ios::binary);
  if (!in) {
    return fail(fmt::format("cannot read {}: {}", m_path, std::strerror(errno)));
  }
  std::stringstream text;
  text << in.rdbuf();
  if (text.str().empty()) {
    return {};
  }
  json document = json::parse(text.str(), nullptr, false);
  if (document.is_discarded() || !document.is_object() || !document.contains("issues") ||
      !document["issues"].is_array()) {
    return fail(fmt::format("{} is not a probewatch issues file; move it away or point --tracker local:PATH elsewhere",
                            m_path));
  }
  if (document.contains("version") &&
      (!document["version"].is_number_integer() || document["version"].get<long long>() != k_schema_version)) {
    return fail(
        fmt::format("{} has schema version {}; this probewatch reads version {}. Use the probewatch that "
                    "wrote it, or point --tracker local:PATH elsewhere",
                    m_path, document["version"].dump(), k_schema_version));
  }
  if (document.contains("next_number") && !document["next_number"].is_number_integer()) {
    return fail(fmt::format("{}: \"next_number\" must be a whole number, not {}; fix it or move the file away", m_path,
                            type_name(document["next_number"])));
  }
  int highest = 0;
  json& issues = document["issues"];
  for (std::size_t i = 0; i < issues.size(); ++i) {
    const std::string problem = entry_problem(issues[i]);
    if (!problem.empty()) {
      const std::string which = issues[i].is_object() && issues[i].contains("number")
                                    ? fmt::format("issue entry {} (number {})", i + 1, issues[i]["number"].dump())
                                    : fmt::format("issue entry {}", i + 1);
      return fail(fmt::format("{}: {}: {}; fix or remove that entry (nothing was changed)", m_path, which, problem));
    }
    const int number = issues[i]["number"].get<int>();
    if (!m_data->index.emplace(number, i).second) {
      return fail(
          fmt::format("{}: issue entry {}: number {} is used twice; fix or remove that entry (nothing was "
                      "changed)",
                      m_path, i + 1, number));
    }
    highest = std::max(highest, number);
  }
  m_data->issues.assign(std::make_move_iterator(issues.begin()), std::make_move_iterator(issues.end()));
  document.erase("issues");
  m_data->next_number = std::max(document.value("next_number", 1), highest + 1);
  m_data->document = std::move(document);
  return {};
}

TrackerResult<void> LocalTracker::commit() {
  if (!m_dirty) {
    return {};
  }
  if (m_options.read_only) {
    return std::unexpected(file_error(fmt::format("{} was opened read-only; nothing was written", m_path)));
  }
  json document = m_data->document;
  document["version"] = k_schema_version;
  document["next_number"] = m_data->next_number;
  document["issues"] = m_data->issues;
  const std::string text = document.dump(2) + "\n";

  const std::filesystem::path file(m_path);
  const std::string temporary = fmt::format("{}.tmp.{}", m_path, ::getpid());
  struct stat info {};
  const mode_t mode = ::stat(m_path.c_str(), &info) == 0 ? (info.st_mode & 07777) : 0644;
  const int fd = ::open(temporary.c_str(), O_CREAT | O_TRUNC | O_WRONLY | O_CLOEXEC, mode);
  if (fd < 0) {
    return std::unexpected(
        file_error(fmt::format("cannot write {}: {}; {} was left as it was", temporary, std::strerror(errno), m_path)));
  }
  const bool written = write_all(fd, text) && ::fchmod(fd, mode) == 0 && ::fsync(fd) == 0;
  const int saved = errno;
  ::close(fd);
  if (!written) {
    ::unlink(temporary.c_str());
    return std::unexpected(
        file_error(fmt::format("cannot write {}: {}; {} was left as it was", temporary, std::strerror(saved), m_path)));
  }
  if (m_options.after_temporary_written && !m_options.after_temporary_written(temporary)) {
    return std::unexpected(file_error(fmt::format("stopped before replacing {} (fault injection)", m_path)));
  }
  if (::rename(temporary.c_str(), m_path.c_str()) != 0) {
    const int error = errno;
    ::unlink(temporary.c_str());
    return std::unexpected(
        file_error(fmt::format("cannot replace {}: {}; it was left as it was", m_path, std::strerror(error))));
  }
  // The rename itself must reach the disk: sync the folder that holds the file.
  const std::string folder = file.has_parent_path() ? file.parent_path().string() : ".";
  if (const int dir = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); dir >= 0) {
    (void)::fsync(dir);
    ::close(dir);
  }
  m_dirty = false;
  return {};
}

TrackerResult<std::vector<github::Issue>> LocalTracker::list_open(const std::string& label) {
  ++m_requests;
  if (auto opened = open(); !opened) {
    return std::unexpected(opened.error());
  }
  std::vector<github::Issue> out;
  for (const json& item : m_data->issues) {
    if (item.value("state", "open") == "open" && has_label(item, label)) {
      out.push_back(issue_of(item));
    }
  }
  return out;
}

TrackerResult<std::vector<github::Issue>> LocalTracker::list_recently_closed(const std::string& label) {
  ++m_requests;
  if (auto opened = open(); !opened) {
    return std::unexpected(opened.error());
  }
  std::vector<github::Issue> out;
  for (const json& item : m_data->issues) {
    if (item.value("state", "open") == "closed" && has_label(item, label)) {
      out.push_back(issue_of(item));
    }
  }
  std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.updated_at > b.updated_at; });
  if (out.size() > k_recently_closed_limit) {
    out.resize(k_recently_closed_limit);
  }
  return out;
}

TrackerResult<github::Issue> LocalTracker::get(int number) {
  ++m_requests;
  if (auto opened = open(); !opened) {
    return std::unexpected(opened.error());
  }
  const json* item = m_data->find(number);
  if (item == nullptr) {
    return std::unexpected(missing(number));
  }
  return issue_of(*item);
}

TrackerResult<github::Issue> LocalTracker::create(const github::NewIssue& issue) {
  ++m_requests;
  if (auto opened = open(); !opened) {
    return std::unexpected(opened.error());
  }
  if (m_options.read_only) {
    return std::unexpected(file_error(fmt::format("{} was opened read-only", m_path)));
  }
  const std::string now = github::format_iso8601(m_clock.now());
  const int number = m_data->next_number++;
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
  if (issue.type) {
    item["type"] = *issue.type;
  }
  m_data->index.emplace(number, m_data->issues.size());
  m_data->issues.push_back(std::move(item));
  m_dirty = true;
  return issue_of(m_data->issues.back());
}

TrackerResult<nlohmann::json*> LocalTracker::writable_issue(int number) {
  ++m_requests;
  if (auto opened = open(); !opened) {
    return std::unexpected(opened.error());
  }
  json* item = m_data->find(number);
  if (item == nullptr) {
    return std::unexpected(missing(number));
  }
  if (m_options.read_only) {
    return std::unexpected(file_error(fmt::format("{} was opened read-only", m_path)));
  }
  return item;
}

TrackerResult<github::Issue> LocalTracker::update(int number, const github::IssueUpdate& update) {
  auto writable = writable_issue(number);
  if (!writable) {
    return std::unexpected(writable.error());
  }
  json* item = *writable;
  const std::string now = github::format_iso8601(m_clock.now());
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
  m_dirty = true;
  return issue_of(*item);
}

TrackerResult<github::Comment> LocalTracker::comment(int number, const std::string& body) {
  auto writable = writable_issue(number);
  if (!writable) {
    return std::unexpected(writable.error());
  }
  json* item = *writable;
  const std::string now = github::format_iso8601(m_clock.now());
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
  m_dirty = true;
  return github::Comment{id, body, fmt::format("{}#{}", m_path, number), "probewatch", now};
}

TrackerResult<void> LocalTracker::delete_comment(int number, std::int64_t id) {
  auto writable = writable_issue(number);
  if (!writable) {
    return std::unexpected(writable.error());
  }
  json* item = *writable;
  json& comments = (*item)["comments"];
  if (comments.is_array()) {
    json kept = json::array();
    for (json& comment : comments) {
      if (comment.value("id", std::int64_t{0}) != id) {
        kept.push_back(std::move(comment));
      }
    }
    comments = std::move(kept);
    m_dirty = true;
  }
  return {};
}

TrackerResult<std::vector<github::Label>> LocalTracker::add_labels(int number, const std::vector<std::string>& labels) {
  auto writable = writable_issue(number);
  if (!writable) {
    return std::unexpected(writable.error());
  }
  json* item = *writable;
  auto current = item->value("labels", std::vector<std::string>{});
  for (const std::string& label : labels) {
    if (std::find(current.begin(), current.end(), label) == current.end()) {
      current.push_back(label);
    }
  }
  (*item)["labels"] = current;
  m_dirty = true;
  std::vector<github::Label> out;
  for (const std::string& label : current) {
    out.push_back({label, "", ""});
  }
  return out;
}

TrackerResult<std::vector<github::Comment>> LocalTracker::comments(int number, std::optional<TimePoint> since) {
  if (auto opened = open(); !opened) {
    return std::unexpected(opened.error());
  }
  const json* item = m_data->find(number);
  if (item == nullptr) {
    return std::unexpected(missing(number));
  }
  std::vector<github::Comment> out;
  for (const json& comment : item->value("comments", json::array())) {
    github::Comment read{comment.value("id", std::int64_t{0}), comment.value("body", ""), "", LocalTracker::k_author,
                         comment.value("created_at", "")};
    const auto created = github::parse_iso8601(read.created_at);
    if (!since || !created || *created >= *since) {
      out.push_back(std::move(read));
    }
  }
  return out;
}

}  // namespace pw
