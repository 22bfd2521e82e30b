#include <bot/core/redactor.hpp>

#include <doctest/doctest.h>

TEST_CASE("redactor: replaces every spelling of a secret") {
  pw::Redactor secrets;
  secrets.add("s3cr3t/t0ken");
  secrets.add("");
  SUBCASE("as written") { CHECK(secrets.apply("Bearer s3cr3t/t0ken!") == "Bearer ***!"); }
  SUBCASE("JSON-escaped") { CHECK(secrets.apply(R"({"auth":"s3cr3t\/t0ken"})") == R"({"auth":"***"})"); }
  SUBCASE("percent-encoded") { CHECK(secrets.apply("?key=s3cr3t%2Ft0ken&x=1") == "?key=***&x=1"); }
  SUBCASE("percent-encoded in lower-case hex") { CHECK(secrets.apply("?key=s3cr3t%2ft0ken") == "?key=***"); }
  SUBCASE("several times") { CHECK(secrets.apply("s3cr3t/t0kens3cr3t/t0ken") == "******"); }
  CHECK(secrets.secrets().size() == 1);
}

TEST_CASE("redactor: the longest secret wins when secrets overlap") {
  pw::Redactor secrets;
  secrets.add("abc");
  secrets.add("abcdef");
  CHECK(secrets.apply("xabcdefx abc") == "x***x ***");
}

TEST_CASE("redactor: a secret with a quote and a slash, JSON-escaped with or without \\/") {
  // JSON encoders escape the quote but mostly leave "/" alone; an echoing endpoint may do either.
  pw::Redactor secrets;
  secrets.add(R"(k3y/"q)");
  CHECK(secrets.apply(R"({"a":"k3y/\"q","b":"k3y\/\"q"})") == R"({"a":"***","b":"***"})");
}
