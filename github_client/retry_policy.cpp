#include <github_client/retry_policy.hpp>

#include <github_client/decode.hpp>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <string_view>

namespace github {

namespace {

// Year 2200 in epoch seconds: anything later is not a reset time (the fixtures record milliseconds).
constexpr std::int64_t k_max_epoch_seconds = 7'258'118'400;
constexpr std::int64_t k_max_retry_after_seconds = 24 * 60 * 60;

std::optional<std::int64_t> read_number(const Headers& headers, std::string_view name) {
  const std::string* text = find_header(headers, name);
  if (text == nullptr) {
    return std::nullopt;
  }
  std::string_view trimmed = *text;
  while (!trimmed.empty() && (trimmed.front() == ' ' || trimmed.front() == '\t')) {
    trimmed.remove_prefix(1);
  }
  while (!trimmed.empty() && (trimmed.back() == ' ' || trimmed.back() == '\t')) {
    trimmed.remove_suffix(1);
  }
  std::int64_t value = 0;
  auto [end, error] = std::from_chars(trimmed.data(), trimmed.data() + trimmed.size(), value);
  if (trimmed.empty() || error != std::errc{} || end != trimmed.data() + trimmed.size() || value < 0) {
    return std::nullopt;
  }
  return value;
}

bool contains_ignoring_case(std::string_view text, std::string_view needle) {
  // std::search, not std::ranges::search: clang 14 (the fuzz build) cannot compile libstdc++ 12's subrange.
  auto found = std::search(text.begin(), text.end(), needle.begin(), needle.end(), [](char a, char b) {
    return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
  });
  return !needle.empty() && found != text.end();
}

bool mentions_rate_limit(const HttpResponse& response) {
  std::string message = decode_error_body(response.body).message;
  return contains_ignoring_case(message, "rate limit") || contains_ignoring_case(message, "abuse");
}

}  // namespace

RateLimit read_rate_limit(const Headers& headers) {
  RateLimit limit;
  limit.limit = read_number(headers, "x-ratelimit-limit");
  limit.remaining = read_number(headers, "x-ratelimit-remaining");
  limit.used = read_number(headers, "x-ratelimit-used");
  if (auto reset = read_number(headers, "x-ratelimit-reset"); reset && *reset <= k_max_epoch_seconds) {
    limit.reset = TimePoint{std::chrono::seconds{*reset}};
  }
  if (const std::string* resource = find_header(headers, "x-ratelimit-resource")) {
    limit.resource = *resource;
  }
  return limit;
}

std::optional<std::chrono::seconds> read_retry_after(const Headers& headers) {
  auto seconds = read_number(headers, "retry-after");
  if (!seconds) {
    return std::nullopt;
  }
  return std::chrono::seconds{std::min(*seconds, k_max_retry_after_seconds)};
}

RetryPolicy::RetryPolicy(RetryOptions options, std::uint64_t seed)
    : m_options(options), m_random(seed == 0 ? std::random_device{}() : seed) {}

std::optional<RateLimitWait> RetryPolicy::rate_limit_wait(const HttpResponse& response, TimePoint now,
                                                          int secondary_waits) const {
  if (response.status != 403 && response.status != 429) {
    return std::nullopt;
  }
  auto secondary = [&](std::string reason) {
    auto doublings = std::clamp(secondary_waits, 0, 10);
    return RateLimitWait{m_options.secondary_wait * (std::int64_t{1} << doublings), true, std::move(reason)};
  };
  if (auto retry_after = read_retry_after(response.headers)) {
    return RateLimitWait{std::chrono::duration_cast<std::chrono::milliseconds>(*retry_after), false,
                         "the retry-after period"};
  }
  RateLimit limit = read_rate_limit(response.headers);
  if (limit.remaining == 0) {
    if (!limit.reset) {
      return secondary("the rate limit to reset");
    }
    auto until_reset = std::chrono::duration_cast<std::chrono::milliseconds>(*limit.reset - now);
    return RateLimitWait{std::max(until_reset, std::chrono::milliseconds{0}) + m_options.reset_margin, false,
                         "the rate limit to reset"};
  }
  if (response.status == 429 || mentions_rate_limit(response)) {
    return secondary("the secondary rate limit");
  }
  return std::nullopt;
}

bool RetryPolicy::is_retryable_status(int status) {
  return status == 500 || status == 502 || status == 503 || status == 504;
}

std::chrono::milliseconds RetryPolicy::backoff(int retry) {
  auto doublings = std::clamp(retry - 1, 0, 20);
  auto full = std::min(m_options.backoff_base * (std::int64_t{1} << doublings), m_options.backoff_cap);
  auto half = full.count() / 2;
  std::uniform_int_distribution<std::int64_t> jitter(0, std::max<std::int64_t>(half, 0));
  return std::chrono::milliseconds{full.count() - half + jitter(m_random)};
}

}  // namespace github
