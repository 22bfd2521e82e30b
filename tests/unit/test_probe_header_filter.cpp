#include <bot/probe/header_filter.hpp>

#include <doctest/doctest.h>

#include <string>

TEST_CASE("header_filter: keeps the headers a person needs") {
  for (const char* name : {"server", "via", "content-type", "location", "x-request-id", "cf-ray", "x-cache",
                           "x-served-by", "x-amz-cf-id", "x-amz-cf-pop", "x-varnish", "x-envoy-upstream-service-time",
                           "x-cache-hits", "x-fastly-request-id", "x-github-request-id", "retry-after"}) {
    CHECK_MESSAGE(pw::is_evidence_header(name), name);
  }
  for (const char* name : {"set-cookie", "date", "x-powered-by", "etag", "vary", "x-frame-options", "content-length"}) {
    CHECK_FALSE_MESSAGE(pw::is_evidence_header(name), name);
  }
}

TEST_CASE("header_filter: lower-cases names, keeps named headers, and caps hostile responses") {
  pw::HeaderKeeper keeper({"x-build"});
  keeper.offer("Server", "nginx/1.22.1");
  keeper.offer("Set-Cookie", "secret=1");
  keeper.offer("X-Build", "abc123");
  keeper.offer("X-Build", "second value");
  for (int i = 0; i < 10000; ++i) {
    keeper.offer("X-Cache-" + std::to_string(i), std::string(5000, 'v'));
  }
  const auto kept = keeper.take();
  REQUIRE(kept.size() == 2 + pw::HeaderKeeper::k_max_kept - 1);
  CHECK(kept[0] == std::pair<std::string, std::string>{"server", "nginx/1.22.1"});
  CHECK(kept[1] == std::pair<std::string, std::string>{"x-build", "abc123"});
  CHECK(kept[2].first == "x-cache-0");
  CHECK(kept[2].second.size() == pw::HeaderKeeper::k_max_value);
}

TEST_CASE("header_filter: a named header is kept even after the cap") {
  pw::HeaderKeeper keeper({"x-late"});
  for (int i = 0; i < 100; ++i) {
    keeper.offer("x-cache-" + std::to_string(i), "HIT");
  }
  keeper.offer("X-Late", "here");
  const auto kept = keeper.take();
  CHECK(kept.back() == std::pair<std::string, std::string>{"x-late", "here"});
}
