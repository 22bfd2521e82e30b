#pragma once

#include <github_client/clock.hpp>
#include <github_client/transport.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <random>
#include <string>

namespace github {

// The x-ratelimit-* headers of one response; absent or malformed values stay unset.
struct RateLimit {
  std::optional<std::int64_t> limit;
  std::optional<std::int64_t> remaining;
  std::optional<std::int64_t> used;
  std::optional<TimePoint> reset;
  std::string resource;
};

// Reads the x-ratelimit-* headers; ignores values that are not plain numbers or not plausible.
RateLimit read_rate_limit(const Headers& headers);

// Reads a retry-after header given in seconds; nullopt when absent or not a number.
std::optional<std::chrono::seconds> read_retry_after(const Headers& headers);

struct RetryOptions {
  int max_attempts = 4;                          // per request, every cause together
  std::chrono::milliseconds backoff_base{1000};  // first retry after a 5xx or transport error
  std::chrono::milliseconds backoff_cap{30000};
  std::chrono::milliseconds secondary_wait{60000};  // GitHub: "wait for at least one minute"
  std::chrono::milliseconds reset_margin{1000};     // added to a wait until x-ratelimit-reset
};

// A 403/429 that is a rate limit: how long to wait and why.
struct RateLimitWait {
  std::chrono::milliseconds wait{0};
  bool secondary = false;
  std::string reason;  // fits "waiting N s for <reason>": "the rate limit to reset", ...
};

// GitHub's documented rules for when to wait and what to retry. Pure: no clock, no sockets.
class RetryPolicy {
 public:
  explicit RetryPolicy(RetryOptions options = {}, std::uint64_t seed = 0);

  // Returns the wait when `response` is a rate-limit refusal, nullopt when it is not one.
  // `secondary_waits` counts the secondary-limit waits this request already made (for backoff).
  std::optional<RateLimitWait> rate_limit_wait(const HttpResponse& response, TimePoint now, int secondary_waits) const;

  // Returns true for statuses worth retrying: 500, 502, 503 and 504.
  static bool is_retryable_status(int status);

  // Returns the wait before retry number `retry` (1-based): exponential, capped, with jitter.
  std::chrono::milliseconds backoff(int retry);

  // Returns the options it was made with.
  const RetryOptions& options() const { return m_options; }

 private:
  RetryOptions m_options;
  std::mt19937_64 m_random;
};

}  // namespace github
