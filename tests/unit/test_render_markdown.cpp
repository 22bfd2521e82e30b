#include <bot/render/markdown.hpp>

#include <doctest/doctest.h>

namespace {

// Test text with no secrets in it, as the type the Markdown functions accept.
pw::Redacted untrusted(std::string_view text) {
  static const pw::Redactor k_none;
  return k_none.redact(text);
}

}  // namespace

TEST_CASE("markdown: code fences are longer than any backtick run inside") {
  CHECK(pw::code_fence(untrusted("plain")) == "```\nplain\n```");
  CHECK(pw::code_fence(untrusted("a ``` b"), "json") == "````json\na ``` b\n````");
  CHECK(pw::code_fence(untrusted("`````")) == "``````\n`````\n``````");
}

TEST_CASE("markdown: mentions and references are neutralized") {
  const std::string zwsp = "\xE2\x80\x8B";
  CHECK(pw::neutralize_references(untrusted("ping @octocat about #12")) ==
        "ping @" + zwsp + "octocat about #" + zwsp + "12");
  CHECK(pw::neutralize_references(untrusted("a@ b# c")) == "a@ b# c");
  CHECK(pw::code_fence(untrusted("@admin")) == "```\n@" + zwsp + "admin\n```");
}

TEST_CASE("markdown: untrusted text cannot carry an HTML comment, so no fake probewatch marker") {
  const std::string zwsp = "\xE2\x80\x8B";
  const std::string fake = R"(<!-- probewatch:v1 {"kind":"incident","check":"other"} -->)";
  CHECK(pw::neutralize_references(untrusted(fake)) == "<!" + zwsp + fake.substr(2));
  CHECK(pw::neutralize_references(untrusted("<!- <! -- <!--")) == "<!- <! -- <!" + zwsp + "--");
  for (const std::string& rendered :
       {pw::code_fence(untrusted(fake)), pw::inline_code(untrusted(fake)), pw::escape_markdown(untrusted(fake)),
        pw::code_fence(untrusted("<!-- probewatch:end -->"))}) {
    CHECK(rendered.find("<!--") == std::string::npos);
    CHECK(rendered.find("probewatch:") != std::string::npos);
  }
}

TEST_CASE("markdown: escaping for prose and inline code") {
  CHECK(pw::escape_markdown(untrusted("<img src=x> *bold* [l](u) | x")) ==
        "\\<img src=x\\> \\*bold\\* \\[l\\]\\(u\\) \\| x");
  CHECK(pw::inline_code(untrusted("a`b")) == "``a`b``");
  CHECK(pw::inline_code(untrusted("`x`")) == "`` `x` ``");
  CHECK(pw::inline_code(untrusted("two\nlines | pipe")) == "`two lines / pipe`");
}

TEST_CASE("markdown: cut_text keeps the note inside the limit") {
  CHECK(pw::cut_text("short", 10, "…") == "short");
  const std::string cut = pw::cut_text(std::string(100, 'x'), 20, " (cut)");
  CHECK(cut == std::string(14, 'x') + " (cut)");
  CHECK(cut.size() == 20);
}

TEST_CASE("markdown: redact first, escape second; the final pass still catches an escaped secret") {
  const std::string zwsp = "\xE2\x80\x8B";
  pw::Redactor secrets;
  secrets.add("hunter@2024");
  secrets.add("p|w#x");
  SUBCASE("redacted as it enters") {
    CHECK(pw::inline_code(secrets.redact("GET /?pw=hunter@2024")) == "`GET /?pw=***`");
    CHECK(pw::code_fence(secrets.redact("key: p|w#x\n")) == "```\nkey: ***\n```");
    CHECK(pw::escape_markdown(secrets.redact("p|w#x @me")) == "\\*\\*\\* @" + zwsp + "me");
  }
  SUBCASE("escaped by mistake before redaction, caught by the safety net") {
    const std::string escaped = pw::inline_code(untrusted("pw=hunter@2024 p|w#x"));
    CHECK(escaped == "`pw=hunter@" + zwsp + "2024 p/w#" + zwsp + "x`");
    CHECK(secrets.apply(escaped) == "`pw=*** ***`");
    CHECK(secrets.apply(pw::escape_markdown(untrusted("p|w#x"))) == "***");
  }
}
