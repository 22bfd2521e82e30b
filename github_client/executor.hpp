#pragma once

#include <github_client/clock.hpp>
#include <github_client/error.hpp>
#include <github_client/retry_policy.hpp>
#include <github_client/transport.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace github {

// How a request may be retried after a failure that may have reached GitHub.
enum class RetryMode {
  idempotent,           // repeating it has no further effect (GET, PATCH to fixed values, adding labels)
  verify_before_retry,  // look for the effect first (creating an issue or a comment)
  never_if_applied,     // return an error with may_have_applied instead of retrying
};

// One logical request; the executor may send it several times.
struct Call {
  std::string method;
  std::string url;      // absolute
  std::string body;     // compact JSON, empty for none
  std::string context;  // for messages: "POST /repos/octo/app/issues"
  RetryMode mode = RetryMode::idempotent;
  // For verify_before_retry: the response to return when the effect is found, nullopt when it is not.
  std::function<Result<std::optional<HttpResponse>>()> verify;
  std::string effect;  // for messages: "the issue was created"
};

struct ExecutorOptions {
  std::string token;
  std::string user_agent;
  std::chrono::milliseconds write_spacing{1000};
  std::chrono::milliseconds wait_budget{std::chrono::minutes{10}};
  RetryOptions retry;
  std::uint64_t jitter_seed = 0;
};

// Sends calls with GitHub's headers, paces writes, waits out rate limits within a budget,
// retries what is safe to retry and counts requests. Not thread-safe: the Client serializes.
class RequestExecutor {
 public:
  RequestExecutor(ExecutorOptions options, Transport& transport, Clock& clock);

  // Returns the first 2xx response; fails with a typed error once retrying stops.
  Result<HttpResponse> execute(const Call& call);

  // Returns `error` with every occurrence of the token replaced by "***".
  Error redact(Error error) const;

  // Returns the number of requests handed to the transport.
  std::size_t requests() const { return m_requests; }
  // Returns the x-ratelimit-remaining last seen.
  std::optional<std::int64_t> rate_limit_remaining() const { return m_remaining; }
  // Returns the time spent on rate-limit and retry waits (pacing excluded).
  std::chrono::milliseconds waited() const { return m_waited; }

 private:
  HttpRequest build(const Call& call) const;
  void note_rate_limit(const Headers& headers);
  void pace();
  // Waits `duration` through the clock unless that would exceed the budget.
  Result<void> wait(std::chrono::milliseconds duration, std::string_view reason, const Call& call,
                    const Error* last_error);
  Result<void> wait_for_reset(const Call& call);

  ExecutorOptions m_options;
  Transport& m_transport;
  Clock& m_clock;
  RetryPolicy m_policy;
  std::size_t m_requests = 0;
  std::optional<std::int64_t> m_remaining;
  std::optional<TimePoint> m_blocked_until;
  std::optional<TimePoint> m_last_write;
  std::chrono::milliseconds m_waited{0};
};

}  // namespace github
