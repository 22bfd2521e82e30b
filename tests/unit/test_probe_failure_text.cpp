#include <bot/probe/failure_text.hpp>

#include <doctest/doctest.h>

using namespace std::chrono_literals;

TEST_CASE("failure_text: endpoints, timeouts and DNS in plain words") {
  CHECK(pw::format_endpoint("127.0.0.1", 9) == "127.0.0.1:9");
  CHECK(pw::format_endpoint("::1", 8080) == "[::1]:8080");
  CHECK(pw::timeout_text(2s, pw::Phase::headers) == "timed out after 2s while waiting for response headers");
  CHECK(pw::timeout_text(1500ms, pw::Phase::body) == "timed out after 1.5s while reading the body");
  CHECK(pw::timeout_text(10s, pw::Phase::tls) == "timed out after 10s during the TLS handshake");
  CHECK(pw::timeout_text(1s, pw::Phase::resolve) == "timed out after 1s while resolving the name");
  CHECK(pw::dns_failure_text("nope.invalid", "Name or service not known") ==
        "DNS lookup for nope.invalid failed: Name or service not known");
}

TEST_CASE("failure_text: refused and dropped connections") {
  CHECK(pw::refused_text({"127.0.0.1:9"}) == "connection refused by 127.0.0.1:9 (nothing is listening)");
  CHECK(pw::refused_text({"[::1]:80", "127.0.0.1:80"}) ==
        "connection refused by [::1]:80 and 127.0.0.1:80 (nothing is listening)");
  CHECK(pw::refused_text({"a:1", "b:1", "c:1"}) == "connection refused by a:1, b:1 and c:1 (nothing is listening)");
  CHECK(pw::dropped_text("127.0.0.1:80", pw::Phase::body, 10, 100) ==
        "connection reset or closed by 127.0.0.1:80 while reading the body (after 10 of 100 bytes)");
  CHECK(pw::dropped_text("127.0.0.1:80", pw::Phase::body, 10, std::nullopt) ==
        "connection reset or closed by 127.0.0.1:80 while reading the body (after 10 bytes)");
  CHECK(pw::dropped_text("127.0.0.1:80", pw::Phase::write, 0, std::nullopt) ==
        "connection reset or closed by 127.0.0.1:80 while sending the request");
}
