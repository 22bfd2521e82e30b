// Fuzzes github::Client end to end over an in-memory transport, so decoding, pagination (Link
// headers), error bodies, rate-limit headers and retries all see hostile responses.
// The first byte picks the operation; the rest is the scripted responses, separated by
// "\n====\n". Each is "name: value" header lines, a blank line, then the body (a response with
// no blank line is all body); a "status: NNN" line sets the status (200 by default). Requests
// past the script get 200 "[]".
// Beyond not crashing: the token goes only to the API's origin, never into an error message,
// and pagination and retries stop.

#include "fuzz_check.hpp"

#include <github_client/client.hpp>

#include <charconv>
#include <string>
#include <vector>

namespace {

constexpr std::string_view k_token = "ghp_fuzzT0ken4567";
constexpr std::string_view k_separator = "\n====\n";

class FakeClock final : public github::Clock {
 public:
  github::TimePoint now() const override { return m_now; }
  void sleep_for(std::chrono::milliseconds duration) override { m_now += duration; }

 private:
  github::TimePoint m_now = std::chrono::sys_days{std::chrono::year{2026} / 11 / 27};
};

github::HttpResponse parse_response(std::string_view text) {
  github::HttpResponse response;
  response.status = 200;
  const std::size_t blank = text.find("\n\n");
  if (blank == std::string_view::npos) {
    response.body = std::string(text);
    return response;
  }
  response.body = std::string(text.substr(blank + 2));
  for (const auto line : fuzz::split(text.substr(0, blank), '\n')) {
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos) {
      continue;
    }
    std::string name(line.substr(0, colon));
    for (char& c : name) {
      c = c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
    }
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && value.front() == ' ') {
      value.remove_prefix(1);
    }
    if (name == "status") {
      int status = 0;
      const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), status);
      if (error == std::errc() && status >= 100 && status <= 599) {
        response.status = status;
      }
      continue;
    }
    response.headers.emplace_back(std::move(name), std::string(value));
  }
  return response;
}

class ScriptTransport final : public github::Transport {
 public:
  explicit ScriptTransport(std::string_view script) {
    std::size_t start = 0;
    while (start <= script.size()) {
      const std::size_t end = script.find(k_separator, start);
      m_responses.push_back(parse_response(script.substr(start, end == std::string_view::npos ? end : end - start)));
      if (end == std::string_view::npos) {
        break;
      }
      start = end + k_separator.size();
    }
  }

  std::expected<github::HttpResponse, github::TransportError> send(const github::HttpRequest& request) override {
    FUZZ_CHECK(request.url.starts_with("https://api.github.com/"));
    ++m_sent;
    FUZZ_CHECK(m_sent <= 10'000);
    if (m_next < m_responses.size()) {
      return m_responses[m_next++];
    }
    return github::HttpResponse{200, {}, "[]"};
  }

 private:
  std::vector<github::HttpResponse> m_responses;
  std::size_t m_next = 0;
  std::size_t m_sent = 0;
};

template <class T>
void check_result(const github::Result<T>& result) {
  if (!result) {
    const std::string text = result.error().to_string();
    FUZZ_CHECK(text.find(k_token) == std::string::npos);
    for (const auto& entry : result.error().errors) {
      FUZZ_CHECK(entry.value.find(k_token) == std::string::npos);
      FUZZ_CHECK(entry.message.find(k_token) == std::string::npos);
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) {
    return 0;
  }
  ScriptTransport transport(fuzz::as_text(data + 1, size - 1));
  FakeClock clock;
  github::ClientOptions options;
  options.token = std::string(k_token);
  options.write_spacing = std::chrono::milliseconds{0};
  options.jitter_seed = 1;
  github::Client client(options, transport, clock);
  switch (data[0] % 4) {
    case 0: {
      github::ListIssuesQuery query;
      query.labels = {"probewatch"};
      check_result(client.list_issues("octo/app", query));
      break;
    }
    case 1: check_result(client.list_comments("octo/app", 7)); break;
    case 2: check_result(client.list_labels("octo/app")); break;
    default: check_result(client.get_issue("octo/app", 7)); break;
  }
  return 0;
}
