#include <bot/probe/resolver.hpp>

#include <doctest/doctest.h>

#include <future>
#include <memory>
#include <string>
#include <vector>

using namespace std::chrono_literals;

namespace {

std::chrono::steady_clock::time_point resolver_deadline() { return std::chrono::steady_clock::now() + 5s; }

}  // namespace

TEST_CASE("resolver: a lookup that hangs is abandoned at the deadline, and ends on its own later") {
  auto release = std::make_shared<std::promise<void>>();
  const std::shared_future<void> released = release->get_future().share();
  auto finished = std::make_shared<std::promise<void>>();
  std::future<void> lookup_finished = finished->get_future();
  // Like getaddrinfo against a name server that never answers: it returns only when the test
  // lets it, long after the caller's deadline.
  const pw::LookupFn hung = [released, finished](const std::string&) {
    released.wait();
    finished->set_value();
    return pw::Resolution{{"192.0.2.1"}, false, ""};
  };

  const pw::Resolution result = pw::resolve_host("hung.example", std::chrono::steady_clock::now() + 50ms, hung);
  CHECK(result.timed_out);
  CHECK(result.addresses.empty());
  CHECK(result.error.empty());
  CHECK_FALSE(result.ok());

  release->set_value();  // the abandoned lookup finishes into state it still shares, then frees it
  CHECK(lookup_finished.wait_for(5s) == std::future_status::ready);
}

TEST_CASE("resolver: a lookup's answer or reason comes back before the deadline") {
  const pw::LookupFn answers = [](const std::string& host) {
    CHECK(host == "api.example");
    return pw::Resolution{{"192.0.2.7", "2001:db8::7"}, false, ""};
  };
  const pw::Resolution found = pw::resolve_host("api.example", resolver_deadline(), answers);
  CHECK(found.ok());
  CHECK_FALSE(found.timed_out);
  CHECK(found.addresses == std::vector<std::string>{"192.0.2.7", "2001:db8::7"});

  const pw::LookupFn fails = [](const std::string&) { return pw::Resolution{{}, false, "Name or service not known"}; };
  const pw::Resolution missing = pw::resolve_host("nope.example", resolver_deadline(), fails);
  CHECK_FALSE(missing.ok());
  CHECK_FALSE(missing.timed_out);
  CHECK(missing.error == "Name or service not known");
}

TEST_CASE("resolver: an IP literal answers at once, without a lookup") {
  const pw::LookupFn never = [](const std::string& host) {
    FAIL_CHECK("looked up " << host);
    return pw::Resolution{};
  };
  for (const std::string literal : {"127.0.0.1", "::1", "2001:db8::1"}) {
    CAPTURE(literal);
    const pw::Resolution result = pw::resolve_host(literal, resolver_deadline(), never);
    CHECK(result.addresses == std::vector<std::string>{literal});
    CHECK_FALSE(result.timed_out);
  }
}

TEST_CASE("resolver: address families take turns, starting with the resolver's first") {
  using Addresses = std::vector<std::string>;
  CHECK(pw::interleave_families({"2001:db8::1", "2001:db8::2", "192.0.2.1", "192.0.2.2"}) ==
        Addresses{"2001:db8::1", "192.0.2.1", "2001:db8::2", "192.0.2.2"});
  CHECK(pw::interleave_families({"192.0.2.1", "192.0.2.2", "2001:db8::1"}) ==
        Addresses{"192.0.2.1", "2001:db8::1", "192.0.2.2"});
  CHECK(pw::interleave_families({"127.0.0.2", "127.0.0.1"}) == Addresses{"127.0.0.2", "127.0.0.1"});
  CHECK(pw::interleave_families({}).empty());
}
