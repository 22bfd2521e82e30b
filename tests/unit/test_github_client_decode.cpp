#include <github_client/decode.hpp>
#include <github_client/encode.hpp>

#include <doctest/doctest.h>

#include <string>

using github::decode_comment;
using github::decode_error_body;
using github::decode_issue;
using github::decode_label;
using github::parse_json;

namespace {

nlohmann::json parse(std::string_view text) {
  auto parsed = parse_json(text);
  REQUIRE(parsed);
  return *parsed;
}

std::string issue_error(std::string_view text) {
  auto issue = decode_issue(parse(text));
  REQUIRE_FALSE(issue);
  return issue.error().message;
}

}  // namespace

TEST_CASE("github_client decode: an issue as GitHub returns it") {
  auto issue = decode_issue(parse(R"({
    "number": 12, "title": "api-health is failing", "body": "<!-- probewatch:v1 {} -->",
    "state": "closed", "state_reason": "not_planned",
    "labels": [{"id": 1, "name": "probewatch", "color": "ededed"}, "legacy-string-label"],
    "assignees": [{"login": "alice"}, {"login": "bob"}],
    "html_url": "https://github.com/o/r/issues/12", "user": {"login": "github-actions[bot]"},
    "created_at": "2026-11-27T00:00:00Z", "updated_at": "2026-11-27T01:00:00Z", "closed_at": "2026-11-27T02:00:00Z",
    "unknown_field": {"ignored": true}})"));
  REQUIRE(issue);
  CHECK(issue->number == 12);
  CHECK(issue->title == "api-health is failing");
  CHECK(issue->body == "<!-- probewatch:v1 {} -->");
  CHECK(issue->state == "closed");
  CHECK(issue->state_reason == "not_planned");
  CHECK(issue->labels == std::vector<std::string>{"probewatch", "legacy-string-label"});
  CHECK(issue->assignees == std::vector<std::string>{"alice", "bob"});
  CHECK(issue->user == "github-actions[bot]");
  CHECK(issue->html_url == "https://github.com/o/r/issues/12");
  CHECK(issue->closed_at == "2026-11-27T02:00:00Z");
}

TEST_CASE("github_client decode: nulls read as empty") {
  auto issue = decode_issue(parse(
      R"({"number": 1, "title": "t", "state": "open", "body": null, "state_reason": null, "closed_at": null,
          "user": null, "labels": null, "assignees": null})"));
  REQUIRE(issue);
  CHECK(issue->body.empty());
  CHECK(issue->state_reason.empty());
  CHECK(issue->closed_at.empty());
  CHECK(issue->user.empty());
  CHECK(issue->labels.empty());
}

TEST_CASE("github_client decode: wrong types name the field") {
  CHECK(issue_error(R"([1])") == "an issue is not a JSON object");
  CHECK(issue_error(R"({"title": "t", "state": "open"})") == "field \"number\" is missing");
  CHECK(issue_error(R"({"number": "1", "title": "t", "state": "open"})") == "field \"number\" is not an integer");
  CHECK(issue_error(R"({"number": 1.5, "title": "t", "state": "open"})") == "field \"number\" is not an integer");
  CHECK(issue_error(R"({"number": 0, "title": "t", "state": "open"})") == "field \"number\" is out of range");
  CHECK(issue_error(R"({"number": 99999999999, "title": "t", "state": "open"})") == "field \"number\" is out of range");
  CHECK(issue_error(R"({"number": 18446744073709551615, "title": "t", "state": "open"})") ==
        "field \"number\" is out of range");
  CHECK(issue_error(R"({"number": 3, "state": "open"})") == "issue #3: field \"title\" is missing");
  CHECK(issue_error(R"({"number": 3, "title": 7, "state": "open"})") == "issue #3: field \"title\" is not a string");
  CHECK(issue_error(R"({"number": 3, "title": "t", "state": "open", "labels": {}})") ==
        "issue #3: field \"labels\" is not an array");
  CHECK(issue_error(R"({"number": 3, "title": "t", "state": "open", "labels": [{"id": 1}]})") ==
        "issue #3: field \"labels\": field \"name\" is missing");
  CHECK(issue_error(R"({"number": 3, "title": "t", "state": "open", "labels": [5]})") ==
        "issue #3: field \"labels\" holds something other than a label");
  CHECK(issue_error(R"({"number": 3, "title": "t", "state": "open", "user": "x"})") ==
        "issue #3: field \"user\" is not an object");
  CHECK(issue_error(R"({"number": 3, "title": "t", "state": "open", "assignees": [{"login": 1}]})") ==
        "issue #3: field \"assignees\": field \"login\" is not a string");
}

TEST_CASE("github_client decode: comments and labels") {
  auto comment = decode_comment(parse(
      R"({"id": 900001, "body": "still failing", "html_url": "https://github.com/o/r/issues/1#issuecomment-900001",
          "user": {"login": "bot"}, "created_at": "2026-11-27T00:00:00Z"})"));
  REQUIRE(comment);
  CHECK(comment->id == 900001);
  CHECK(comment->body == "still failing");
  CHECK(comment->user == "bot");
  CHECK(decode_comment(parse(R"({"id": -1})")).error().message == "comment: field \"id\" is out of range");
  CHECK(decode_comment(parse(R"({"id": 5, "body": []})")).error().message ==
        "comment 5: field \"body\" is not a string");

  auto label = decode_label(parse(R"({"name": "bug", "color": "d73a4a", "description": null})"));
  REQUIRE(label);
  CHECK(*label == github::Label{"bug", "d73a4a", ""});
  CHECK(decode_label(parse(R"({"color": "d73a4a"})")).error().message == "label: field \"name\" is missing");
  CHECK(decode_label(parse(R"({"name": "bug", "color": 1})")).error().message ==
        "label \"bug\": field \"color\" is not a string");
}

TEST_CASE("github_client decode: hostile JSON never throws") {
  CHECK(parse_json("").error().message == "not valid JSON");
  CHECK(parse_json("{\"a\":").error().message == "not valid JSON");
  CHECK(parse_json("\"\xff\xfe\"").error().message == "not valid JSON");
  CHECK(parse_json(std::string(100000, '[')).error().message == "JSON nested deeper than 64 levels");
  CHECK(parse_json(std::string(64, '[') + std::string(64, ']')));
  CHECK(parse_json("\"[[[[\"").has_value());
  CHECK_FALSE(github::is_pull_request(parse("[]")));
  CHECK(github::is_pull_request(parse(R"({"pull_request": null})")));
}

TEST_CASE("github_client decode: error bodies") {
  auto body = decode_error_body(R"({"message": "Validation Failed",
      "errors": [{"resource": "Label", "code": "invalid", "field": "color"},
                 {"resource": "Issue", "code": "custom", "field": "body", "message": "body is too long"},
                 {"resource": "Issue", "code": "invalid", "field": "milestone", "value": 7},
                 "a plain string error", 42],
      "documentation_url": "https://docs.github.com/rest/issues/labels#create-a-label"})");
  CHECK(body.message == "Validation Failed");
  CHECK(body.documentation_url == "https://docs.github.com/rest/issues/labels#create-a-label");
  REQUIRE(body.errors.size() == 4);
  CHECK(body.errors[0] == github::ValidationError{"Label", "invalid", "color", "", ""});
  CHECK(body.errors[1].message == "body is too long");
  CHECK(body.errors[2].value == "7");
  CHECK(body.errors[3].message == "a plain string error");
  CHECK(github::describe(body.errors[0]) == "Label.color invalid");
  CHECK(github::describe(body.errors[1]) == "Issue.body custom: body is too long");

  CHECK(decode_error_body("<html>502 Bad Gateway</html>").message.empty());
  CHECK(decode_error_body(R"({"message": 5, "errors": "x"})").message.empty());
  CHECK(decode_error_body(R"({"message": "line\nbreak"})").message == "line break");
  CHECK(decode_error_body(R"({"message": ")" + std::string(2000, 'x') + "\"}").message.size() == 503);
}

TEST_CASE("github_client encode: compact bodies with only what is set") {
  CHECK(github::encode_new_issue({"Issue without a label", "", {}, {}, std::nullopt}) ==
        R"({"title":"Issue without a label"})");
  CHECK(github::encode_new_issue({"t", "b", {"probewatch", "sev:1"}, {"alice"}, 3}) ==
        R"({"assignees":["alice"],"body":"b","labels":["probewatch","sev:1"],"milestone":3,"title":"t"})");
  CHECK(github::encode_issue_update({std::nullopt, std::nullopt, "closed", "not_planned"}) ==
        R"({"state":"closed","state_reason":"not_planned"})");
  CHECK(github::encode_comment("hi \"there\"") == R"({"body":"hi \"there\""})");
  CHECK(github::encode_label({"foo", "invalid", ""}) == R"({"color":"invalid","name":"foo"})");
  CHECK(github::encode_label_names({"Foo", "bAr", "baZ"}) == R"({"labels":["Foo","bAr","baZ"]})");
  CHECK(github::encode_comment("bad \xff utf-8") == "{\"body\":\"bad \xef\xbf\xbd utf-8\"}");
}
