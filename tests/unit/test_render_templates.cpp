#include <bot/render/issue_writer.hpp>
#include <bot/render/templates.hpp>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

TEST_CASE("templates: front matter sets title, labels and assignees") {
  auto issue =
      pw::split_front_matter("---\ntitle: \"API is down\"\nlabels: [ops, 'p1']\nassignees: octocat\n---\nBody\n");
  REQUIRE(issue.has_value());
  CHECK(issue->front.title == "API is down");
  CHECK(issue->front.labels == std::vector<std::string>{"ops", "p1"});
  CHECK(issue->front.assignees == std::vector<std::string>{"octocat"});
  CHECK(issue->body == "Body");
  CHECK(pw::split_front_matter("no front matter")->body == "no front matter");
  CHECK(pw::split_front_matter("---\ntitle: x\n").error().message ==
        "the front matter opened with --- is never closed by a --- line");
  CHECK(pw::split_front_matter("---\ncolor: red\n---\n").error().message ==
        "unknown front matter key \"color\"; use title, labels or assignees");
}

TEST_CASE("templates: overrides replace defaults and are checked") {
  auto set = pw::TemplateSet::with_overrides({{"recovered.md", "Back after {{down_for}}."}}, "tpl");
  REQUIRE(set.has_value());
  CHECK(set->render(pw::TemplateName::recovered, {{"down_for", "5m"}}).value() == "Back after 5m.");
  CHECK(pw::TemplateSet::with_overrides({{"nope.md", "x"}}, "tpl").error().message ==
        "tpl/nope.md: not a probewatch template; the templates are issue.md, section.md, still-failing.md, "
        "recovered.md, reopened.md, duplicate.md, removed.md, dashboard.md");
  CHECK(pw::TemplateSet::with_overrides({{"issue.md", "{{#a}}"}}, "tpl").error().message ==
        "tpl/issue.md: template line 1, column 1: unclosed section \"a\"");
}

TEST_CASE("templates: every default template renders") {
  const pw::TemplateSet set = pw::TemplateSet::defaults();
  for (const pw::TemplateName name : pw::k_template_names) {
    CHECK_FALSE(pw::default_template(name).empty());
    CHECK(set.render(name, nlohmann::json::object()).has_value());
  }
}

TEST_CASE("issue body: only the bot-owned section changes") {
  const std::string section = std::string(pw::k_section_begin) + "\nnew\n" + std::string(pw::k_section_end);
  SUBCASE("people's edits around the section are kept") {
    const std::string body = "People's intro\n\n" + std::string(pw::k_section_begin) + "\nold\n" +
                             std::string(pw::k_section_end) + "\n\nPeople's notes";
    CHECK(pw::replace_owned_section(body, section) == "People's intro\n\n" + section + "\n\nPeople's notes");
  }
  SUBCASE("a body whose delimiters were edited away gets the section appended, stray marker dropped") {
    const std::string body = "Notes\n<!-- probewatch:v1 {\"kind\":\"incident\",\"check\":\"a\"} -->\nmore";
    CHECK(pw::replace_owned_section(body, section) == "Notes\n\nmore\n\n" + section + "\n");
  }
}
