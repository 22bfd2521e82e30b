#include <bot/render/mustache.hpp>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <string>

using nlohmann::json;

namespace {

// Runs every test of the official spec file `name`, one SUBCASE each.
void run_spec_file(const std::string& name, std::size_t expected_tests) {
  std::ifstream file(PROBEWATCH_SOURCE_DIR "/tests/data/mustache-spec/" + name + ".json");
  REQUIRE(file.good());
  const auto spec = json::parse(file);
  std::size_t seen = 0;
  for (const auto& test : spec.at("tests")) {
    ++seen;
    const auto test_name = test.at("name").get<std::string>();
    SUBCASE(test_name.c_str()) {
      pw::Partials partials;
      const auto partial_texts = test.value("partials", json::object());
      for (const auto& [partial, text] : partial_texts.items()) {
        partials.emplace(partial, text.get<std::string>());
      }
      INFO(test.at("desc").get<std::string>());
      const auto rendered = pw::render_mustache(test.at("template").get<std::string>(), test.at("data"), partials);
      if (!rendered) {
        FAIL(rendered.error().message);
      } else {
        CHECK(*rendered == test.at("expected").get<std::string>());
      }
    }
  }
  CHECK(seen == expected_tests);
}

std::string render(std::string_view source, const json& context, const pw::Partials& partials = {}) {
  const auto rendered = pw::render_mustache(source, context, partials);
  if (!rendered) {
    FAIL(rendered.error().message);
    return {};
  }
  return *rendered;
}

std::string error_of(std::string_view source, const json& context = json::object(), const pw::Partials& partials = {}) {
  const auto rendered = pw::render_mustache(source, context, partials);
  if (rendered) {
    FAIL("rendered without error: " << *rendered);
    return {};
  }
  return rendered.error().message;
}

}  // namespace

TEST_CASE("mustache: spec comments") { run_spec_file("comments", 12); }

TEST_CASE("mustache: spec delimiters") { run_spec_file("delimiters", 14); }

TEST_CASE("mustache: spec interpolation") { run_spec_file("interpolation", 42); }

TEST_CASE("mustache: spec inverted") { run_spec_file("inverted", 22); }

TEST_CASE("mustache: spec partials") { run_spec_file("partials", 12); }

TEST_CASE("mustache: spec sections") { run_spec_file("sections", 34); }

TEST_CASE("mustache: renders what issue templates use") {
  SUBCASE("a list of failures with escaping") {
    const auto context = json::parse(R"({"check": "api <prod>",
      "failures": [{"url": "https://x/a?b=1&c=2", "status": 503}, {"url": "https://x/b", "status": 500}]})");
    CHECK(render("# {{check}}\n{{#failures}}\n- {{{url}}}: {{status}}\n{{/failures}}\n", context) ==
          "# api &lt;prod&gt;\n- https://x/a?b=1&c=2: 503\n- https://x/b: 500\n");
  }
  SUBCASE("numbers as people write them") {
    const json context = {{"a", 1.5}, {"b", 85},    {"c", 85.0}, {"d", 1e6},
                          {"e", 0.1}, {"f", -2.25}, {"g", 1e21}, {"h", 18446744073709551615ULL},
                          {"i", -7},  {"j", 0.0}};
    CHECK(render("{{a}} {{b}} {{c}} {{d}} {{e}} {{f}} {{g}} {{h}} {{i}} {{j}}", context) ==
          "1.5 85 85 1000000 0.1 -2.25 1e+21 18446744073709551615 -7 0");
  }
  SUBCASE("booleans, objects and arrays") {
    const json context = {{"yes", true}, {"obj", {{"k", "<v>"}}}, {"list", {1, "two"}}};
    CHECK(render("{{yes}} {{{obj}}} {{&list}} {{obj}}", context) ==
          "true {\"k\":\"<v>\"} [1,\"two\"] {&quot;k&quot;:&quot;&lt;v&gt;&quot;}");
  }
  SUBCASE("falsey values") {
    const json context = {
        {"empty", ""},           {"zero", 0},  {"none", nullptr}, {"no", false}, {"list", json::array()},
        {"obj", json::object()}, {"text", "x"}};
    CHECK(render("{{#empty}}1{{/empty}}{{#zero}}2{{/zero}}{{#none}}3{{/none}}{{#no}}4{{/no}}{{#list}}5{{/list}}"
                 "{{#obj}}6{{/obj}}{{#text}}7{{/text}}{{#missing}}8{{/missing}}",
                 context) == "67");
    CHECK(render("{{^empty}}1{{/empty}}{{^zero}}2{{/zero}}{{^obj}}6{{/obj}}{{^missing}}8{{/missing}}", context) ==
          "128");
  }
  SUBCASE("missing keys and partials render empty") {
    CHECK(render("[{{nothing}}][{{a.b.c}}][{{>nowhere}}]", json::object()) == "[][][]");
  }
  SUBCASE("context stack lookup reaches outer frames") {
    const auto context = json::parse(R"({"repo": "o/r", "checks": [{"id": "a"}, {"id": "b"}]})");
    CHECK(render("{{#checks}}{{repo}}#{{id}} {{/checks}}", context) == "o/r#a o/r#b ");
  }
  SUBCASE("nested standalone partials add up their indentation") {
    const pw::Partials partials = {{"outer", "<\n  {{>inner}}\n>\n"}, {"inner", "a\n\nb\n"}};
    CHECK(render("  {{>outer}}\nend", json::object(), partials) == "  <\n    a\n    \n    b\n  >\nend");
  }
  SUBCASE("a partial's sections keep its indentation on every item") {
    const pw::Partials partials = {{"items", "{{#list}}\n- {{.}}\n{{/list}}\n"}};
    CHECK(render("\t{{>items}}\n", json{{"list", {1, 2}}}, partials) == "\t- 1\n\t- 2\n");
  }
  SUBCASE("CRLF standalone lines") {
    CHECK(render("a\r\n{{#x}}\r\nb\r\n{{/x}}\r\nc", json{{"x", true}}) == "a\r\nb\r\nc");
  }
  SUBCASE("check_mustache accepts a good template") {
    CHECK(pw::check_mustache("{{=<% %>=}}<%#a%><%b%><%/a%>").has_value());
  }
}

TEST_CASE("mustache: error messages name line, column and the problem") {
  SUBCASE("unclosed tag") {
    CHECK(error_of("Hello {{name") == "template line 1, column 7: unclosed tag: \"{{\" has no matching \"}}\"");
    CHECK(error_of("{{{name}}") == "template line 1, column 1: unclosed tag: \"{{{\" has no matching \"}}}\"");
    CHECK(error_of("{{=<% %>=}}\n  <%name") ==
          "template line 2, column 3: unclosed tag: \"<%\" has no matching \"%>\"");
    CHECK(error_of("x {{") == "template line 1, column 3: unclosed tag: \"{{\" has no matching \"}}\"");
  }
  SUBCASE("unclosed section") {
    CHECK(error_of("x\ny\n    {{#items}}\n{{.}}\n") == "template line 3, column 5: unclosed section \"items\"");
    CHECK(error_of("{{^a}}{{#b}}{{/b}}") == "template line 1, column 1: unclosed section \"a\"");
  }
  SUBCASE("mismatched section close") {
    CHECK(error_of("{{#a}}\n  {{/b}}") == "template line 2, column 3: closing \"b\" but \"a\" is open");
    CHECK(error_of("{{/a}}") == "template line 1, column 1: closing \"a\" but no section is open");
  }
  SUBCASE("invalid set-delimiter tag") {
    CHECK(error_of("{{=<%=}}") ==
          "template line 1, column 1: invalid set-delimiter tag \"{{=<%=}}\": write two delimiters separated by a "
          "space, as in {{=<% %>=}}");
    CHECK(error_of("ok\n{{= <% %> x =}}") ==
          "template line 2, column 1: invalid set-delimiter tag \"{{= <% %> x =}}\": write two delimiters separated "
          "by a space, as in {{=<% %>=}}");
    CHECK(error_of("{{=a= b=}}") ==
          "template line 1, column 1: invalid set-delimiter tag \"{{=a= b=}}\": write two delimiters separated by a "
          "space, as in {{=<% %>=}}");
  }
  SUBCASE("tag without a name") {
    CHECK(error_of("a {{ }}") == "template line 1, column 3: tag \"{{ }}\" has no name");
    CHECK(error_of("{{#}}{{/}}") == "template line 1, column 1: tag \"{{#}}\" has no name");
  }
  SUBCASE("columns count characters, not bytes") {
    CHECK(error_of("héllo {{/a}}") == "template line 1, column 7: closing \"a\" but no section is open");
  }
  SUBCASE("errors in a partial name the partial") {
    CHECK(error_of("{{>p}}", json::object(), {{"p", "ok\n{{#x}}"}}) ==
          "partial \"p\" line 2, column 1: unclosed section \"x\"");
  }
  SUBCASE("check_mustache reports the same errors") {
    const auto checked = pw::check_mustache("{{#a}}{{/b}}");
    REQUIRE_FALSE(checked.has_value());
    CHECK(checked.error().message == "template line 1, column 7: closing \"b\" but \"a\" is open");
  }
  SUBCASE("long names are cut short") {
    const std::string name(100, 'n');
    CHECK(error_of("{{#" + name + "}}") ==
          "template line 1, column 1: unclosed section \"" + std::string(40, 'n') + "…\"");
  }
}

TEST_CASE("mustache: hostile templates fail instead of running away") {
  SUBCASE("a partial that includes itself") {
    const auto expected = "template: partials nested deeper than 64 levels (a partial includes itself?)";
    CHECK(error_of("{{>p}}", json::object(), {{"p", "{{>p}}"}}) == expected);
    CHECK(error_of("{{>a}}", json::object(), {{"a", "x{{>b}}"}, {"b", "  {{>a}}\n"}}) == expected);
  }
  SUBCASE("64 levels of partials are fine") {
    pw::Partials partials;
    for (int level = 0; level < 64; ++level) {
      partials.emplace("p" + std::to_string(level), level == 63 ? "end" : "{{>p" + std::to_string(level + 1) + "}}");
    }
    CHECK(render("{{>p0}}", json::object(), partials) == "end");
  }
  SUBCASE("partials that double their work at each level") {
    pw::Partials partials;
    for (int level = 0; level < 40; ++level) {
      const auto next = "{{>p" + std::to_string(level + 1) + "}}";
      partials.emplace("p" + std::to_string(level), next + next);
    }
    CHECK(error_of("{{>p0}}", json::object(), partials) ==
          "template: rendering stopped after 1000000 steps; a section or partial repeats too often");
  }
  SUBCASE("loops over a long list") {
    json list = json::array();
    for (int i = 0; i < 1000; ++i) {
      list.push_back(i);
    }
    CHECK(error_of("{{#l}}{{#l}}{{#l}}{{/l}}{{/l}}{{/l}}", json{{"l", list}}) ==
          "template: rendering stopped after 1000000 steps; a section or partial repeats too often");
    CHECK(error_of("{{#l}}{{big}}{{/l}}", json{{"l", list}, {"big", std::string(100000, 'x')}}) ==
          "template: output exceeds 16 MiB; a section or partial repeats too often");
  }
  SUBCASE("deeply nested sections") {
    std::string source;
    for (int level = 0; level < 101; ++level) {
      source += "{{#a}}";
    }
    CHECK(error_of(source) == "template line 1, column 601: sections nested deeper than 100 levels");
    CHECK(pw::check_mustache(source).error().message ==
          "template line 1, column 601: sections nested deeper than 100 levels");
  }
  SUBCASE("sections nested through partials") {
    const pw::Partials partials = {{"p", "{{#a}}{{#a}}{{#a}}{{#a}}{{#a}}{{>p}}{{/a}}{{/a}}{{/a}}{{/a}}{{/a}}"}};
    CHECK(error_of("{{>p}}", json{{"a", true}}, partials) ==
          "template: sections and partials nested deeper than 256 levels");
  }
  SUBCASE("indentation that grows with each partial level") {
    const std::string indent(300000, ' ');
    CHECK(error_of("{{>p}}", json::object(), {{"p", indent + "x\n" + indent + "{{>p}}\n"}}) ==
          "template: output exceeds 16 MiB; a section or partial repeats too often");
  }
  SUBCASE("stray braces are text") { CHECK(render("a }} b { c } {{!x}}", json::object()) == "a }} b { c } "); }
}
