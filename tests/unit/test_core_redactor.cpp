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

TEST_CASE("redactor: the forms escaping and encoding make of a secret") {
  const std::string zwsp = "\xE2\x80\x8B";
  pw::Redactor secrets;
  secrets.add("hunter@2024");
  secrets.add("a#b|c&<d>*_`e\\f");
  SUBCASE("a zero-width space after @ (Markdown neutralizing)") {
    CHECK(secrets.apply("pw=hunter@" + zwsp + "2024!") == "pw=***!");
  }
  SUBCASE("inline code: # neutralized and | as /") {
    CHECK(secrets.apply("`a#" + zwsp + "b/c&<d>*_`e\\f`") == "`***`");
  }
  SUBCASE("Markdown prose escapes") {
    CHECK(secrets.apply("x a\\#" + zwsp + "b\\|c\\&\\<d\\>\\*\\_\\`e\\\\f y") == "x *** y");
  }
  SUBCASE("HTML entities (Mustache's {{name}})") {
    CHECK(secrets.apply("<p>a#" + zwsp + "b|c&amp;&lt;d&gt;*_`e\\f</p>") == "<p>***</p>");
    CHECK(secrets.apply("a#b|c&amp;&lt;d&gt;*_`e\\f") == "***");
  }
  SUBCASE("percent-encoded only where a request target must be") {
    CHECK(secrets.apply("/x?k=a#b%7Cc&%3Cd%3E*_%60e%5Cf&z") == "/x?k=***&z");
  }
  SUBCASE("fully percent-encoded") { CHECK(secrets.apply("k=hunter%402024") == "k=***"); }
  SUBCASE("JSON-escaped") { CHECK(secrets.apply(R"("a#b|c&<d>*_`e\\f")") == R"("***")"); }
}

TEST_CASE("redactor: Redacted is what rendering takes") {
  pw::Redactor secrets;
  secrets.add("hunter@2024");
  const pw::Redacted text = secrets.redact("user hunter@2024 at #1");
  CHECK(text.str() == "user *** at #1");
  CHECK_FALSE(text.empty());
}
