#include <github_client/retry_policy.hpp>

#include <doctest/doctest.h>

using github::HttpResponse;
using github::RetryPolicy;
using namespace std::chrono_literals;

namespace {

const github::TimePoint k_now = std::chrono::sys_days{std::chrono::year{2026} / 11 / 27};

std::string epoch(github::TimePoint time) {
  return std::to_string(std::chrono::duration_cast<std::chrono::seconds>(time.time_since_epoch()).count());
}

HttpResponse response(int status, github::Headers headers, std::string body = "{}") {
  return HttpResponse{status, std::move(headers), std::move(body)};
}

const std::string k_secondary_body =
    R"({"message":"You have exceeded a secondary rate limit. Please wait a few minutes before you try again."})";

}  // namespace

TEST_CASE("github_client retry_policy: when to wait, following GitHub's rules") {
  RetryPolicy policy;
  SUBCASE("retry-after wins") {
    auto wait = policy.rate_limit_wait(
        response(403, {{"retry-after", "30"}, {"x-ratelimit-remaining", "0"}, {"x-ratelimit-reset", epoch(k_now + 1h)}},
                 k_secondary_body),
        k_now, 0);
    REQUIRE(wait);
    CHECK(wait->wait == 30s);
    CHECK(wait->reason == "the retry-after period");
  }
  SUBCASE("remaining 0 waits until the reset, plus a margin") {
    auto wait = policy.rate_limit_wait(
        response(403, {{"x-ratelimit-remaining", "0"}, {"x-ratelimit-reset", epoch(k_now + 90s)}}), k_now, 0);
    REQUIRE(wait);
    CHECK(wait->wait == 91s);
    CHECK(wait->reason == "the rate limit to reset");
    CHECK_FALSE(wait->secondary);
  }
  SUBCASE("a reset in the past waits only the margin") {
    auto wait = policy.rate_limit_wait(
        response(429, {{"x-ratelimit-remaining", "0"}, {"x-ratelimit-reset", epoch(k_now - 10s)}}), k_now, 0);
    REQUIRE(wait);
    CHECK(wait->wait == 1s);
  }
  SUBCASE("a secondary limit without retry-after waits a minute, then longer") {
    auto first = policy.rate_limit_wait(response(403, {{"x-ratelimit-remaining", "4000"}}, k_secondary_body), k_now, 0);
    auto third = policy.rate_limit_wait(response(403, {}, k_secondary_body), k_now, 2);
    REQUIRE(first);
    REQUIRE(third);
    CHECK(first->wait == 60s);
    CHECK(first->secondary);
    CHECK(first->reason == "the secondary rate limit");
    CHECK(third->wait == 240s);
  }
  SUBCASE("429 without headers is a secondary limit") {
    auto wait = policy.rate_limit_wait(response(429, {}, ""), k_now, 0);
    REQUIRE(wait);
    CHECK(wait->wait == 60s);
  }
  SUBCASE("the older abuse wording counts too") {
    CHECK(policy.rate_limit_wait(response(403, {}, R"({"message":"You have triggered an abuse detection mechanism."})"),
                                 k_now, 0));
  }
  SUBCASE("a plain 403 is not a rate limit") {
    CHECK_FALSE(policy.rate_limit_wait(
        response(403, {{"x-ratelimit-remaining", "4999"}}, R"({"message":"Resource not accessible by integration"})"),
        k_now, 0));
  }
  SUBCASE("other statuses are never rate limits") {
    CHECK_FALSE(policy.rate_limit_wait(response(500, {{"retry-after", "5"}}), k_now, 0));
    CHECK_FALSE(policy.rate_limit_wait(response(200, {{"x-ratelimit-remaining", "0"}}), k_now, 0));
  }
}

TEST_CASE("github_client retry_policy: headers are read defensively") {
  SUBCASE("well-formed") {
    auto limit = github::read_rate_limit({{"x-ratelimit-limit", "5000"},
                                          {"x-ratelimit-remaining", " 4999 "},
                                          {"x-ratelimit-used", "1"},
                                          {"x-ratelimit-reset", epoch(k_now)},
                                          {"x-ratelimit-resource", "core"}});
    CHECK(limit.limit == 5000);
    CHECK(limit.remaining == 4999);
    CHECK(limit.used == 1);
    CHECK(limit.reset == k_now);
    CHECK(limit.resource == "core");
  }
  SUBCASE("malformed and absurd values are ignored") {
    auto limit = github::read_rate_limit({{"x-ratelimit-remaining", "-1"},
                                          {"x-ratelimit-limit", "lots"},
                                          {"x-ratelimit-used", "99999999999999999999999"},
                                          {"x-ratelimit-reset", "1507651200000"}});
    CHECK_FALSE(limit.remaining);
    CHECK_FALSE(limit.limit);
    CHECK_FALSE(limit.used);
    CHECK_FALSE(limit.reset);
  }
  SUBCASE("retry-after") {
    CHECK(github::read_retry_after({{"Retry-After", "120"}}) == 120s);
    CHECK(github::read_retry_after({{"retry-after", "99999999"}}) == 86400s);
    CHECK_FALSE(github::read_retry_after({{"retry-after", "Wed, 21 Oct 2015 07:28:00 GMT"}}));
    CHECK_FALSE(github::read_retry_after({}));
  }
}

TEST_CASE("github_client retry_policy: what to retry and how long to back off") {
  CHECK(RetryPolicy::is_retryable_status(500));
  CHECK(RetryPolicy::is_retryable_status(502));
  CHECK(RetryPolicy::is_retryable_status(503));
  CHECK(RetryPolicy::is_retryable_status(504));
  CHECK_FALSE(RetryPolicy::is_retryable_status(501));
  CHECK_FALSE(RetryPolicy::is_retryable_status(422));
  CHECK_FALSE(RetryPolicy::is_retryable_status(404));

  RetryPolicy policy({.backoff_base = 1000ms, .backoff_cap = 8000ms}, 42);
  for (int retry = 1; retry <= 6; ++retry) {
    auto full = std::min(1000ms * (1 << (retry - 1)), 8000ms);
    auto wait = policy.backoff(retry);
    CHECK(wait >= full / 2);
    CHECK(wait <= full);
  }
  RetryPolicy same_seed({}, 7);
  RetryPolicy again({}, 7);
  CHECK(same_seed.backoff(3) == again.backoff(3));
  CHECK(policy.backoff(1000) <= 8000ms);
}
