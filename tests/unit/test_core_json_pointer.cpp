#include <bot/core/json_pointer.hpp>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

TEST_CASE("json pointer: RFC 6901 examples") {
  const auto document = nlohmann::json::parse(R"({"foo":["bar","baz"],"":0,"a/b":1,"m~n":8,"k\"l":6})");
  auto at = [&](std::string_view pointer) {
    auto tokens = pw::parse_json_pointer(pointer);
    REQUIRE(tokens.has_value());
    return pw::resolve_json_pointer(document, *tokens);
  };
  CHECK(*at("") == document);
  CHECK(*at("/foo") == nlohmann::json::array({"bar", "baz"}));
  CHECK(*at("/foo/0") == "bar");
  CHECK(*at("/") == 0);
  CHECK(*at("/a~1b") == 1);
  CHECK(*at("/m~0n") == 8);
  CHECK(*at("/k\"l") == 6);
  CHECK(at("/foo/2") == nullptr);
  CHECK(at("/foo/01") == nullptr);
  CHECK(at("/foo/-") == nullptr);
  CHECK(at("/nope") == nullptr);
  CHECK(at("/foo/0/x") == nullptr);
}

TEST_CASE("json pointer: malformed pointers say how to write them") {
  CHECK(pw::parse_json_pointer("status").error().message ==
        "JSON Pointer \"status\" must start with \"/\" (as in /status)");
  CHECK(pw::parse_json_pointer("/a~2").error().message ==
        "JSON Pointer \"/a~2\" has \"~\" not followed by 0 or 1 (write ~0 for ~ and ~1 for /)");
  CHECK(pw::parse_json_pointer("/a~").error().message ==
        "JSON Pointer \"/a~\" has \"~\" not followed by 0 or 1 (write ~0 for ~ and ~1 for /)");
}
