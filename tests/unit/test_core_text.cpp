#include <bot/core/regex.hpp>
#include <bot/core/text.hpp>

#include <doctest/doctest.h>

TEST_CASE("text: invalid UTF-8 and control bytes become U+FFFD") {
  CHECK(pw::sanitize_utf8("ok é") == "ok é");
  CHECK(pw::sanitize_utf8("a\xff"
                          "b") ==
        "a\xEF\xBF\xBD"
        "b");
  CHECK(pw::sanitize_utf8("\xC3") == "\xEF\xBF\xBD");
  CHECK(pw::sanitize_utf8("\xED\xA0\x80") == "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // a surrogate
  CHECK(pw::sanitize_utf8(std::string_view("a\0b", 3)) ==
        "a\xEF\xBF\xBD"
        "b");
  CHECK(pw::sanitize_utf8("line\nnext\ttab") == "line\nnext\ttab");
}

TEST_CASE("text: utf8_prefix never cuts a character in half") {
  CHECK(pw::utf8_prefix("héllo", 2) == "h");
  CHECK(pw::utf8_prefix("héllo", 3) == "hé");
  CHECK(pw::utf8_prefix("abc", 10) == "abc");
}

TEST_CASE("text: edit distance") {
  CHECK(pw::edit_distance("timeout", "timout") == 1);
  CHECK(pw::edit_distance("", "abc") == 3);
  CHECK(pw::edit_distance("status", "stauts") == 2);
}

TEST_CASE("regex: ECMAScript-style patterns, bounded on hostile input") {
  auto regex = pw::Regex::compile(R"("status":\s*"ok")");
  REQUIRE(regex.has_value());
  CHECK(regex->matches(R"({"status": "ok"})"));
  CHECK_FALSE(regex->matches(R"({"status": "down"})"));
  CHECK(pw::Regex::compile("\\u0041")->matches("A"));
  CHECK(pw::Regex::compile("(a").error().message ==
        "invalid regular expression at offset 2: missing closing parenthesis");
  // Catastrophic backtracking stops at the match limit instead of hanging.
  auto evil = pw::Regex::compile("(a+)+$");
  REQUIRE(evil.has_value());
  CHECK_FALSE(evil->matches(std::string(50'000, 'a') + "!"));
  // A long subject does not overflow the stack: it matches, or stops at the memory limit.
  const std::string long_body = std::string(1 << 20, 'x') + "end";
  CHECK(pw::Regex::compile("[\\s\\S]*end")->matches(long_body));
  CHECK(pw::Regex::compile(".*end")->matches(long_body));
  CHECK_FALSE(pw::Regex::compile("(.|\\n)*end")->matches(long_body));
}
