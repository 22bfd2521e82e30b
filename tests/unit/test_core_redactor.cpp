#include <bot/core/redactor.hpp>

#include <doctest/doctest.h>

TEST_CASE("redactor: replaces every spelling of a secret") {
  pw::Redactor secrets;
  secrets.add("s3cr3t/t0ken");
  secrets.add("");
  SUBCASE("as written") { CHECK(secrets.apply("Bearer s3cr3t/t0ken!") == "Bearer ***!"); }
  SUBCASE("JSON-escaped") { CHECK(secrets.apply(R"({"auth":"s3cr3t\/t0ken"})") == R"({"auth":"***"})"); }
  SUBCASE("percent-encoded") { CHECK(secrets.apply("?key=s3cr3t%2Ft0ken&x=1") == "?key=***&x=1"); }
  SUBCASE("several times") { CHECK(secrets.apply("s3cr3t/t0kens3cr3t/t0ken") == "******"); }
  CHECK(secrets.secrets().size() == 1);
}

TEST_CASE("redactor: the longest secret wins when secrets overlap") {
  pw::Redactor secrets;
  secrets.add("abc");
  secrets.add("abcdef");
  CHECK(secrets.apply("xabcdefx abc") == "x***x ***");
}
