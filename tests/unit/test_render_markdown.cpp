#include <bot/render/markdown.hpp>

#include <doctest/doctest.h>

TEST_CASE("markdown: code fences are longer than any backtick run inside") {
  CHECK(pw::code_fence("plain") == "```\nplain\n```");
  CHECK(pw::code_fence("a ``` b", "json") == "````json\na ``` b\n````");
  CHECK(pw::code_fence("`````") == "``````\n`````\n``````");
}

TEST_CASE("markdown: mentions and references are neutralized") {
  const std::string zwsp = "\xE2\x80\x8B";
  CHECK(pw::neutralize_references("ping @octocat about #12") == "ping @" + zwsp + "octocat about #" + zwsp + "12");
  CHECK(pw::neutralize_references("a@ b# c") == "a@ b# c");
  CHECK(pw::code_fence("@admin") == "```\n@" + zwsp + "admin\n```");
}

TEST_CASE("markdown: untrusted text cannot carry an HTML comment, so no fake probewatch marker") {
  const std::string zwsp = "\xE2\x80\x8B";
  const std::string fake = R"(<!-- probewatch:v1 {"kind":"incident","check":"other"} -->)";
  CHECK(pw::neutralize_references(fake) == "<!" + zwsp + fake.substr(2));
  CHECK(pw::neutralize_references("<!- <! -- <!--") == "<!- <! -- <!" + zwsp + "--");
  for (const std::string& rendered : {pw::code_fence(fake), pw::inline_code(fake), pw::escape_markdown(fake),
                                      pw::code_fence("<!-- probewatch:end -->")}) {
    CHECK(rendered.find("<!--") == std::string::npos);
    CHECK(rendered.find("probewatch:") != std::string::npos);
  }
}

TEST_CASE("markdown: escaping for prose and inline code") {
  CHECK(pw::escape_markdown("<img src=x> *bold* [l](u) | x") == "\\<img src=x\\> \\*bold\\* \\[l\\]\\(u\\) \\| x");
  CHECK(pw::inline_code("a`b") == "``a`b``");
  CHECK(pw::inline_code("`x`") == "`` `x` ``");
  CHECK(pw::inline_code("two\nlines | pipe") == "`two lines / pipe`");
}

TEST_CASE("markdown: cut_text keeps the note inside the limit") {
  CHECK(pw::cut_text("short", 10, "…") == "short");
  const std::string cut = pw::cut_text(std::string(100, 'x'), 20, " (cut)");
  CHECK(cut == std::string(14, 'x') + " (cut)");
  CHECK(cut.size() == 20);
}
