#include <github_client/client.hpp>

#include <github_client/decode.hpp>
#include <github_client/encode.hpp>
#include <github_client/iso8601.hpp>
#include <github_client/link_header.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <set>

#ifndef GITHUB_CLIENT_VERSION
#define GITHUB_CLIENT_VERSION "0.0.0"
#endif

namespace github {

namespace {

using nlohmann::json;

constexpr std::size_t k_max_pages = 1000;
constexpr int k_created_issue_window = 30;
// How far back to look for a comment we may have posted: covers clock skew with GitHub.
constexpr auto k_comment_lookback = std::chrono::minutes{10};

bool is_name_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
}

bool is_valid_repo_part(std::string_view part) {
  return !part.empty() && part != "." && part != ".." && std::ranges::all_of(part, is_name_char);
}

std::string normalize_text(std::string_view text) {
  std::string normalized;
  normalized.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
      continue;
    }
    normalized += text[i];
  }
  while (!normalized.empty() && (normalized.back() == ' ' || normalized.back() == '\n' || normalized.back() == '\t' ||
                                 normalized.back() == '\r')) {
    normalized.pop_back();
  }
  auto start = normalized.find_first_not_of(" \t\n");
  return start == std::string::npos ? std::string() : normalized.substr(start);
}

bool same_origin(const SplitUrl& a, const SplitUrl& b) {
  auto lower = [](std::string text) {
    std::ranges::transform(text, text.begin(),
                           [](char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); });
    return text;
  };
  return a.scheme == b.scheme && lower(a.host) == lower(b.host) && a.port == b.port;
}

std::string join_labels(const std::vector<std::string>& labels) {
  std::string joined;
  for (const auto& label : labels) {
    joined += joined.empty() ? "" : ",";
    joined += percent_encode(label);
  }
  return joined;
}

}  // namespace

std::string default_user_agent() { return "probewatch/" GITHUB_CLIENT_VERSION; }

Client::Client(ClientOptions options, Transport& transport, Clock& clock)
    : m_clock(clock),
      m_executor(ExecutorOptions{options.token, options.user_agent, options.write_spacing, options.wait_budget,
                                 options.retry, options.jitter_seed},
                 transport, clock) {
  auto normalized = normalize_api_url(options.api_url);
  if (!normalized) {
    m_setup_error = Error{ErrorKind::invalid_argument,
                          0,
                          fmt::format("the GitHub API URL \"{}\" is not usable: {}; set GITHUB_API_URL to a URL such "
                                      "as https://api.github.com",
                                      options.api_url, normalized.error()),
                          {},
                          false};
    m_setup_error = m_executor.redact(*m_setup_error);
    return;
  }
  m_api_url = std::move(*normalized);
  m_api_origin = split_url(m_api_url).value();
}

Error Client::decode_error(const std::string& context, const std::string& detail) const {
  return m_executor.redact(Error{
      ErrorKind::decode, 0, fmt::format("unexpected response from GitHub for {}: {}", context, detail), {}, false});
}

Result<std::string> Client::repo_url(std::string_view repo) const {
  if (m_setup_error) {
    return fail(*m_setup_error);
  }
  auto slash = repo.find('/');
  if (slash == std::string_view::npos || !is_valid_repo_part(repo.substr(0, slash)) ||
      !is_valid_repo_part(repo.substr(slash + 1))) {
    return fail(m_executor.redact(Error{ErrorKind::invalid_argument,
                                        0,
                                        fmt::format("the repository \"{}\" is not in the form owner/name", repo),
                                        {},
                                        false}));
  }
  return fmt::format("{}/repos/{}", m_api_url, repo);
}

Result<std::vector<json>> Client::get_pages(std::string url, const std::string& context, std::size_t max_pages,
                                            bool* more) {
  std::vector<json> items;
  std::set<std::string> seen;
  for (std::size_t page = 1;; ++page) {
    std::string page_context = page == 1 ? context : fmt::format("{} (page {})", context, page);
    auto response = m_executor.execute(Call{"GET", url, {}, page_context, RetryMode::idempotent, {}, {}});
    if (!response) {
      return fail(std::move(response.error()));
    }
    auto parsed = parse_json(response->body);
    if (!parsed) {
      return fail(decode_error(page_context, parsed.error().message));
    }
    if (!parsed->is_array()) {
      return fail(decode_error(page_context, "expected a JSON array"));
    }
    for (auto& item : *parsed) {
      items.push_back(std::move(item));
    }
    const std::string* link = find_header(response->headers, "link");
    auto next = link != nullptr ? next_link(*link) : std::nullopt;
    if (!next || (max_pages != 0 && page >= max_pages)) {
      if (more != nullptr) {
        *more = next.has_value();
      }
      return items;
    }
    auto split = split_url(*next);
    if (!split) {
      return fail(
          decode_error(page_context, fmt::format("the Link header's next page is not a URL: {}", split.error())));
    }
    if (!same_origin(*split, *m_api_origin)) {
      return fail(decode_error(page_context, fmt::format("the Link header's next page is on {}, not {}; refusing to "
                                                         "send the token there",
                                                         split->origin, m_api_origin->origin)));
    }
    // Same host, port and scheme, however spelled: ask for the page on the origin as configured.
    std::string next_url = m_api_origin->origin;
    next_url += split->target;
    seen.insert(url);
    if (seen.contains(next_url) || page >= k_max_pages) {
      return fail(decode_error(page_context, "the Link headers loop or never end"));
    }
    url = std::move(next_url);
  }
}

Result<std::vector<Issue>> Client::list_issues(std::string_view repo, const ListIssuesQuery& query) {
  std::lock_guard lock(m_mutex);
  auto page = read_issues(repo, query, query.max_pages);
  if (!page) {
    return fail(std::move(page.error()));
  }
  return std::move(page->issues);
}

Result<IssuePage> Client::list_issue_page(std::string_view repo, const ListIssuesQuery& query) {
  std::lock_guard lock(m_mutex);
  return read_issues(repo, query, 1);
}

Result<IssuePage> Client::read_issues(std::string_view repo, const ListIssuesQuery& query, std::size_t max_pages) {
  auto base = repo_url(repo);
  if (!base) {
    return fail(std::move(base.error()));
  }
  std::string url = *base + "/issues?";
  if (!query.labels.empty()) {
    url += "labels=" + join_labels(query.labels) + "&";
  }
  url += "state=" + percent_encode(query.state.empty() ? "open" : query.state) + "&";
  if (!query.creator.empty()) {
    url += "creator=" + percent_encode(query.creator) + "&";
  }
  if (query.since) {
    url += "since=" + percent_encode(format_iso8601(*query.since)) + "&";
  }
  if (!query.sort.empty()) {
    url += "sort=" + percent_encode(query.sort) + "&";
  }
  if (!query.direction.empty()) {
    url += "direction=" + percent_encode(query.direction) + "&";
  }
  url += "per_page=100";
  std::string context = fmt::format("GET /repos/{}/issues", repo);
  IssuePage page;
  auto items = get_pages(std::move(url), context, max_pages, &page.more);
  if (!items) {
    return fail(std::move(items.error()));
  }
  page.items = items->size();
  for (const auto& item : *items) {
    // ISO 8601 in UTC ("2026-12-02T17:16:41Z") orders as text.
    if (const auto updated = item.find("updated_at"); updated != item.end() && updated->is_string()) {
      const auto& text = updated->get_ref<const std::string&>();
      if (page.oldest_updated.empty() || text < page.oldest_updated) {
        page.oldest_updated = text;
      }
    }
    if (is_pull_request(item)) {
      continue;
    }
    auto issue = decode_issue(item);
    if (!issue) {
      return fail(decode_error(context, issue.error().message));
    }
    page.issues.push_back(std::move(*issue));
  }
  return page;
}

Result<std::string> Client::authenticated_login() {
  std::lock_guard lock(m_mutex);
  if (m_setup_error) {
    return fail(*m_setup_error);
  }
  const std::string context = "GET /user";
  auto response = m_executor.execute(Call{"GET", m_api_url + "/user", {}, context, RetryMode::idempotent, {}, {}});
  if (!response) {
    return fail(std::move(response.error()));
  }
  auto parsed = parse_json(response->body);
  if (!parsed || !parsed->is_object() || !(*parsed)["login"].is_string()) {
    return fail(decode_error(context, "the answer has no login"));
  }
  return (*parsed)["login"].get<std::string>();
}

Result<std::vector<PullRequest>> Client::list_pulls_for_commit(std::string_view repo, std::string_view sha) {
  std::lock_guard lock(m_mutex);
  auto base = repo_url(repo);
  if (!base) {
    return fail(std::move(base.error()));
  }
  const bool hex = sha.size() >= 7 && sha.size() <= 64 && std::all_of(sha.begin(), sha.end(), [](char c) {
                     return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
                   });
  std::string context = fmt::format("GET /repos/{}/commits/{}/pulls", repo, hex ? sha : std::string_view("?"));
  if (!hex) {
    return fail(Error{ErrorKind::invalid_argument, 0, context + ": the commit must be 7 to 64 hex digits", {}, false});
  }
  auto items = get_pages(fmt::format("{}/commits/{}/pulls?per_page=100", *base, sha), context, 1);
  if (!items) {
    return fail(std::move(items.error()));
  }
  std::vector<PullRequest> pulls;
  for (const auto& item : *items) {
    auto pull = decode_pull_request(item);
    if (!pull) {
      return fail(decode_error(context, pull.error().message));
    }
    pulls.push_back(std::move(*pull));
  }
  return pulls;
}

Result<Issue> Client::get_issue(std::string_view repo, int number) {
  std::lock_guard lock(m_mutex);
  auto base = repo_url(repo);
  if (!base) {
    return fail(std::move(base.error()));
  }
  std::string context = fmt::format("GET /repos/{}/issues/{}", repo, number);
  auto response = m_executor.execute(
      Call{"GET", fmt::format("{}/issues/{}", *base, number), {}, context, RetryMode::idempotent, {}, {}});
  if (!response) {
    return fail(std::move(response.error()));
  }
  auto parsed = parse_json(response->body);
  auto issue = parsed ? decode_issue(*parsed) : std::unexpected(parsed.error());
  if (!issue) {
    return fail(decode_error(context, issue.error().message));
  }
  return std::move(*issue);
}

Result<std::optional<HttpResponse>> Client::find_created_issue(const std::string& base, std::string_view repo,
                                                               const NewIssue& issue) {
  std::string context = fmt::format("GET /repos/{}/issues (looking for the issue just created)", repo);
  std::string url =
      fmt::format("{}/issues?state=all&sort=created&direction=desc&per_page={}", base, k_created_issue_window);
  auto response = m_executor.execute(Call{"GET", url, {}, context, RetryMode::idempotent, {}, {}});
  if (!response) {
    return fail(std::move(response.error()));
  }
  auto parsed = parse_json(response->body);
  if (!parsed || !parsed->is_array()) {
    return fail(decode_error(context, parsed ? "expected a JSON array" : parsed.error().message));
  }
  const std::string title = normalize_text(issue.title);
  const std::string body = normalize_text(issue.body);
  for (const auto& item : *parsed) {
    if (is_pull_request(item)) {
      continue;
    }
    auto candidate = decode_issue(item);
    if (candidate && normalize_text(candidate->title) == title && normalize_text(candidate->body) == body) {
      return HttpResponse{201, {}, to_compact_json(item)};
    }
  }
  return std::optional<HttpResponse>{};
}

Result<Issue> Client::create_issue(std::string_view repo, const NewIssue& issue) {
  std::lock_guard lock(m_mutex);
  auto base = repo_url(repo);
  if (!base) {
    return fail(std::move(base.error()));
  }
  std::string context = fmt::format("POST /repos/{}/issues", repo);
  Call call{"POST",
            *base + "/issues",
            encode_new_issue(issue),
            context,
            RetryMode::verify_before_retry,
            [&]() { return find_created_issue(*base, repo, issue); },
            "the issue was created"};
  auto response = m_executor.execute(call);
  if (!response) {
    return fail(std::move(response.error()));
  }
  auto parsed = parse_json(response->body);
  auto created = parsed ? decode_issue(*parsed) : std::unexpected(parsed.error());
  if (!created) {
    Error error = decode_error(context, created.error().message);
    error.may_have_applied = true;
    return fail(std::move(error));
  }
  return std::move(*created);
}

Result<Issue> Client::update_issue(std::string_view repo, int number, const IssueUpdate& update) {
  std::lock_guard lock(m_mutex);
  auto base = repo_url(repo);
  if (!base) {
    return fail(std::move(base.error()));
  }
  std::string context = fmt::format("PATCH /repos/{}/issues/{}", repo, number);
  auto response = m_executor.execute(Call{"PATCH",
                                          fmt::format("{}/issues/{}", *base, number),
                                          encode_issue_update(update),
                                          context,
                                          RetryMode::idempotent,
                                          {},
                                          {}});
  if (!response) {
    return fail(std::move(response.error()));
  }
  auto parsed = parse_json(response->body);
  auto updated = parsed ? decode_issue(*parsed) : std::unexpected(parsed.error());
  if (!updated) {
    return fail(decode_error(context, updated.error().message));
  }
  return std::move(*updated);
}

Result<std::optional<HttpResponse>> Client::find_created_comment(const std::string& base, std::string_view repo,
                                                                 int number, std::string_view body, TimePoint started) {
  std::string context =
      fmt::format("GET /repos/{}/issues/{}/comments (looking for the comment just created)", repo, number);
  std::string url = fmt::format("{}/issues/{}/comments?since={}&per_page=100", base, number,
                                percent_encode(format_iso8601(started - k_comment_lookback)));
  auto items = get_pages(std::move(url), context);
  if (!items) {
    return fail(std::move(items.error()));
  }
  const std::string wanted = normalize_text(body);
  for (auto item = items->rbegin(); item != items->rend(); ++item) {
    auto candidate = decode_comment(*item);
    if (candidate && normalize_text(candidate->body) == wanted) {
      return HttpResponse{201, {}, to_compact_json(*item)};
    }
  }
  return std::optional<HttpResponse>{};
}

Result<Comment> Client::create_comment(std::string_view repo, int number, std::string_view body) {
  std::lock_guard lock(m_mutex);
  auto base = repo_url(repo);
  if (!base) {
    return fail(std::move(base.error()));
  }
  const TimePoint started = m_clock.now();
  std::string context = fmt::format("POST /repos/{}/issues/{}/comments", repo, number);
  Call call{"POST",
            fmt::format("{}/issues/{}/comments", *base, number),
            encode_comment(body),
            context,
            RetryMode::verify_before_retry,
            [&]() { return find_created_comment(*base, repo, number, body, started); },
            "the comment was posted"};
  auto response = m_executor.execute(call);
  if (!response) {
    return fail(std::move(response.error()));
  }
  auto parsed = parse_json(response->body);
  auto created = parsed ? decode_comment(*parsed) : std::unexpected(parsed.error());
  if (!created) {
    Error error = decode_error(context, created.error().message);
    error.may_have_applied = true;
    return fail(std::move(error));
  }
  return std::move(*created);
}

Result<void> Client::delete_comment(std::string_view repo, std::int64_t comment_id) {
  std::lock_guard lock(m_mutex);
  auto base = repo_url(repo);
  if (!base) {
    return fail(std::move(base.error()));
  }
  auto response = m_executor.execute(Call{"DELETE",
                                          fmt::format("{}/issues/comments/{}", *base, comment_id),
                                          {},
                                          fmt::format("DELETE /repos/{}/issues/comments/{}", repo, comment_id),
                                          RetryMode::idempotent,
                                          {},
                                          {}});
  if (!response && response.error().kind != ErrorKind::not_found) {
    return fail(std::move(response.error()));
  }
  return {};
}

Result<std::vector<Comment>> Client::list_comments(std::string_view repo, int number, std::optional<TimePoint> since) {
  std::lock_guard lock(m_mutex);
  auto base = repo_url(repo);
  if (!base) {
    return fail(std::move(base.error()));
  }
  std::string url = fmt::format("{}/issues/{}/comments?", *base, number);
  if (since) {
    url += "since=" + percent_encode(format_iso8601(*since)) + "&";
  }
  url += "per_page=100";
  std::string context = fmt::format("GET /repos/{}/issues/{}/comments", repo, number);
  auto items = get_pages(std::move(url), context);
  if (!items) {
    return fail(std::move(items.error()));
  }
  std::vector<Comment> comments;
  for (const auto& item : *items) {
    auto comment = decode_comment(item);
    if (!comment) {
      return fail(decode_error(context, comment.error().message));
    }
    comments.push_back(std::move(*comment));
  }
  return comments;
}

Result<std::vector<Label>> Client::list_labels(std::string_view repo) {
  std::lock_guard lock(m_mutex);
  auto base = repo_url(repo);
  if (!base) {
    return fail(std::move(base.error()));
  }
  std::string context = fmt::format("GET /repos/{}/labels", repo);
  auto items = get_pages(*base + "/labels?per_page=100", context);
  if (!items) {
    return fail(std::move(items.error()));
  }
  std::vector<Label> labels;
  for (const auto& item : *items) {
    auto label = decode_label(item);
    if (!label) {
      return fail(decode_error(context, label.error().message));
    }
    labels.push_back(std::move(*label));
  }
  return labels;
}

Result<Label> Client::create_label(std::string_view repo, const Label& label) {
  std::lock_guard lock(m_mutex);
  auto base = repo_url(repo);
  if (!base) {
    return fail(std::move(base.error()));
  }
  std::string context = fmt::format("POST /repos/{}/labels", repo);
  auto response =
      m_executor.execute(Call{"POST", *base + "/labels", encode_label(label), context, RetryMode::idempotent, {}, {}});
  if (!response) {
    const auto& errors = response.error().errors;
    bool exists = response.error().kind == ErrorKind::validation &&
                  std::ranges::any_of(errors, [](const ValidationError& e) { return e.code == "already_exists"; });
    if (exists) {
      return label;
    }
    return fail(std::move(response.error()));
  }
  auto parsed = parse_json(response->body);
  auto created = parsed ? decode_label(*parsed) : std::unexpected(parsed.error());
  if (!created) {
    return fail(decode_error(context, created.error().message));
  }
  return std::move(*created);
}

Result<std::vector<Label>> Client::add_labels(std::string_view repo, int number,
                                              const std::vector<std::string>& labels) {
  std::lock_guard lock(m_mutex);
  auto base = repo_url(repo);
  if (!base) {
    return fail(std::move(base.error()));
  }
  std::string context = fmt::format("POST /repos/{}/issues/{}/labels", repo, number);
  auto response = m_executor.execute(Call{"POST",
                                          fmt::format("{}/issues/{}/labels", *base, number),
                                          encode_label_names(labels),
                                          context,
                                          RetryMode::idempotent,
                                          {},
                                          {}});
  if (!response) {
    return fail(std::move(response.error()));
  }
  auto parsed = parse_json(response->body);
  if (!parsed || !parsed->is_array()) {
    return fail(decode_error(context, parsed ? "expected a JSON array" : parsed.error().message));
  }
  std::vector<Label> result;
  for (const auto& item : *parsed) {
    auto label = decode_label(item);
    if (!label) {
      return fail(decode_error(context, label.error().message));
    }
    result.push_back(std::move(*label));
  }
  return result;
}

std::size_t Client::requests() const {
  std::lock_guard lock(m_mutex);
  return m_executor.requests();
}

std::optional<std::int64_t> Client::rate_limit_remaining() const {
  std::lock_guard lock(m_mutex);
  return m_executor.rate_limit_remaining();
}

std::chrono::milliseconds Client::waited() const {
  std::lock_guard lock(m_mutex);
  return m_executor.waited();
}

}  // namespace github
