#include <github_client/link_header.hpp>

#include <doctest/doctest.h>

#include <string>

using github::next_link;
using github::parse_link_header;

TEST_CASE("github_client link_header: finds rel=next in GitHub's header") {
  const std::string header =
      "<https://api.github.com/repositories/1000/issues?per_page=3&page=1>; rel=\"prev\", "
      "<https://api.github.com/repositories/1000/issues?per_page=3&page=3>; rel=\"next\", "
      "<https://api.github.com/repositories/1000/issues?per_page=3&page=5>; rel=\"last\", "
      "<https://api.github.com/repositories/1000/issues?per_page=3&page=1>; rel=\"first\"";
  CHECK(next_link(header) == "https://api.github.com/repositories/1000/issues?per_page=3&page=3");
  auto links = parse_link_header(header);
  REQUIRE(links.size() == 4);
  CHECK(links[3].rels == std::vector<std::string>{"first"});
}

TEST_CASE("github_client link_header: variations RFC 8288 allows") {
  SUBCASE("no next") {
    CHECK_FALSE(next_link("<https://a/x?page=1>; rel=\"prev\", <https://a/x?page=1>; rel=\"first\""));
  }
  SUBCASE("unquoted rel, odd spacing and case") {
    CHECK(next_link("  <https://a/x?page=2>;REL=next  ") == "https://a/x?page=2");
  }
  SUBCASE("several relation types in one rel") {
    CHECK(next_link("<https://a/x?page=2>; rel=\"last next\"") == "https://a/x?page=2");
  }
  SUBCASE("other parameters around rel") {
    CHECK(next_link("<https://a/x?page=2>; title=\"a, b; c\"; rel=\"next\"; type=\"text/html\"") ==
          "https://a/x?page=2");
  }
  SUBCASE("a comma inside the URL") {
    CHECK(next_link("<https://a/x?labels=a,b&page=2>; rel=\"next\"") == "https://a/x?labels=a,b&page=2");
  }
  SUBCASE("only the first rel parameter counts") {
    CHECK_FALSE(next_link("<https://a/x?page=2>; rel=\"prev\"; rel=\"next\""));
  }
  SUBCASE("escaped quote in a quoted string") {
    CHECK(next_link("<https://a/x?page=2>; title=\"say \\\"hi\\\"\"; rel=next") == "https://a/x?page=2");
  }
}

TEST_CASE("github_client link_header: hostile input yields what parsed before it") {
  CHECK(parse_link_header("").empty());
  CHECK(parse_link_header(",,, ,").empty());
  CHECK(parse_link_header("<unterminated").empty());
  CHECK(parse_link_header("garbage <https://a>; rel=next").empty());
  CHECK(parse_link_header("<https://a>; rel=\"unterminated").empty());
  CHECK(parse_link_header("<https://a>; rel=\"x\\").empty());
  CHECK(parse_link_header("<https://a>; ;;; rel=next").size() == 1);
  auto partial = parse_link_header("<https://a/1>; rel=next, <https://a/2> junk");
  REQUIRE(partial.size() == 1);
  CHECK(partial[0].url == "https://a/1");
  CHECK(next_link(std::string(100000, '<')) == std::nullopt);
  CHECK(next_link(std::string(100000, ';')) == std::nullopt);
  std::string many;
  for (int i = 0; i < 10000; ++i) {
    many += "<https://a/" + std::to_string(i) + ">; rel=prev, ";
  }
  CHECK(parse_link_header(many).size() == 10000);
  CHECK(next_link(std::string("<https://a/\0x>; rel=next", 24)) == std::string("https://a/\0x", 12));
}
