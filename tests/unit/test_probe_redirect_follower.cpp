#include <bot/probe/redirect_follower.hpp>

#include <doctest/doctest.h>

#include <map>
#include <string>
#include <vector>

namespace {

// A scripted web: URL -> (status, Location). Records every request made.
struct FakeWeb {
  std::map<std::string, std::pair<int, std::string>> pages;
  std::vector<pw::HopRequest> requests;

  pw::HopResult operator()(const pw::HopRequest& request) {
    requests.push_back(request);
    pw::HopResult result;
    const auto page = pages.find(request.url.to_string());
    if (page == pages.end()) {
      result.status = 404;
      return result;
    }
    result.status = page->second.first;
    result.location = page->second.second;
    result.body = "body of " + request.url.to_string();
    return result;
  }
};

pw::Check check_for(std::string url) {
  pw::Check check;
  check.id = "c";
  check.url = std::move(url);
  return check;
}

}  // namespace

TEST_CASE("redirects: follows a chain and records every hop") {
  FakeWeb web;
  web.pages["http://a.test/start"] = {302, "/next"};
  web.pages["http://a.test/next"] = {301, "https://b.test/final"};
  web.pages["https://b.test/final"] = {200, ""};
  const pw::Evidence evidence = pw::follow_redirects(check_for("http://a.test/start"), std::ref(web));
  CHECK(evidence.failure == pw::TransportFailure::none);
  CHECK(evidence.status == 200);
  CHECK(evidence.url == "https://b.test/final");
  CHECK(evidence.body == "body of https://b.test/final");
  REQUIRE(evidence.redirects.size() == 2);
  CHECK(evidence.redirects[0].status == 302);
  CHECK(evidence.redirects[0].from == "http://a.test/start");
  CHECK(evidence.redirects[0].location == "http://a.test/next");
  CHECK(evidence.redirects[1].location == "https://b.test/final");
  CHECK(web.requests.front().skip_redirect_body);
}

TEST_CASE("redirects: not followed when follow_redirects is false") {
  FakeWeb web;
  web.pages["http://a.test/start"] = {302, "/next"};
  pw::Check check = check_for("http://a.test/start");
  check.follow_redirects = false;
  const pw::Evidence evidence = pw::follow_redirects(check, std::ref(web));
  CHECK(evidence.status == 302);
  CHECK(evidence.redirects.empty());
  CHECK(web.requests.size() == 1);
  CHECK_FALSE(web.requests.front().skip_redirect_body);
}

TEST_CASE("redirects: a loop is detected when a URL comes round again") {
  FakeWeb web;
  web.pages["http://a.test/loop"] = {302, "/loop"};
  SUBCASE("to itself") {
    const pw::Evidence evidence = pw::follow_redirects(check_for("http://a.test/loop"), std::ref(web));
    CHECK(evidence.failure == pw::TransportFailure::redirect_loop);
    CHECK(evidence.error ==
          "redirect loop: http://a.test/loop redirects to http://a.test/loop, which was already visited");
    CHECK(evidence.redirects.size() == 1);
    CHECK(evidence.status == 302);
  }
  SUBCASE("through others") {
    web.pages["http://a.test/loop"] = {302, "/b"};
    web.pages["http://a.test/b"] = {307, "http://A.TEST:80/loop#x"};
    const pw::Evidence evidence = pw::follow_redirects(check_for("http://a.test/loop"), std::ref(web));
    CHECK(evidence.failure == pw::TransportFailure::redirect_loop);
    CHECK(evidence.redirects.size() == 2);
    CHECK(evidence.error ==
          "redirect loop: http://a.test/b redirects to http://a.test/loop, which was already visited");
  }
}

TEST_CASE("redirects: at most 10 are followed") {
  FakeWeb web;
  for (int i = 0; i < 20; ++i) {
    web.pages["http://a.test/" + std::to_string(i)] = {302, "/" + std::to_string(i + 1)};
  }
  SUBCASE("an 11th fails") {
    const pw::Evidence evidence = pw::follow_redirects(check_for("http://a.test/0"), std::ref(web));
    CHECK(evidence.failure == pw::TransportFailure::too_many_redirects);
    CHECK(evidence.error == "more than 10 redirects; stopped before following http://a.test/11");
    CHECK(web.requests.size() == 11);
  }
  SUBCASE("exactly 10 pass") {
    web.pages["http://a.test/10"] = {200, ""};
    const pw::Evidence evidence = pw::follow_redirects(check_for("http://a.test/0"), std::ref(web));
    CHECK(evidence.failure == pw::TransportFailure::none);
    CHECK(evidence.redirects.size() == 10);
  }
}

TEST_CASE("redirects: 303 turns into GET; the config's headers stay with their origin") {
  FakeWeb web;
  web.pages["http://a.test/form"] = {303, "/done"};
  web.pages["http://a.test/done"] = {307, "http://b.test/elsewhere"};
  web.pages["http://b.test/elsewhere"] = {200, ""};
  pw::Check check = check_for("http://a.test/form");
  check.method = "POST";
  check.body = "x=1";
  check.headers = {{"Authorization", "Bearer t"}, {"Content-Type", "text/plain"}, {"X-Trace", "1"}};
  const pw::Evidence evidence = pw::follow_redirects(check, std::ref(web));
  CHECK(evidence.status == 200);
  REQUIRE(web.requests.size() == 3);
  CHECK(web.requests[0].method == "POST");
  CHECK(web.requests[1].method == "GET");
  CHECK_FALSE(web.requests[1].body.has_value());
  CHECK(web.requests[1].headers.size() == 2);  // Authorization and X-Trace, no Content-Type
  CHECK(web.requests[2].headers.empty());      // another origin: none of the config's headers
}

TEST_CASE("redirects: the config's headers go to another origin only when the check opts in") {
  using Headers = std::vector<std::pair<std::string, std::string>>;
  const Headers secret = {{"X-Api-Key", "k3y"}, {"Authorization", "Bearer t"}, {"Cookie", "s=1"}};
  FakeWeb web;
  web.pages["https://a.test/start"] = {302, "https://a.test/same"};
  web.pages["https://a.test/same"] = {302, "https://a.test:8443/port"};
  web.pages["https://a.test:8443/port"] = {200, ""};
  web.pages["https://a.test/to-b"] = {302, "https://b.test/"};
  web.pages["https://b.test/"] = {200, ""};
  web.pages["https://a.test/down"] = {302, "http://a.test/plain"};
  web.pages["http://a.test/plain"] = {200, ""};
  pw::Check check = check_for("https://a.test/start");
  check.headers = secret;
  SUBCASE("same origin keeps them; another port is another origin") {
    pw::follow_redirects(check, std::ref(web));
    REQUIRE(web.requests.size() == 3);
    CHECK(web.requests[1].headers == secret);
    CHECK(web.requests[2].headers.empty());
  }
  SUBCASE("another host gets none") {
    check.url = "https://a.test/to-b";
    pw::follow_redirects(check, std::ref(web));
    REQUIRE(web.requests.size() == 2);
    CHECK(web.requests[1].headers.empty());
  }
  SUBCASE("forward_headers: true sends them to another host") {
    check.url = "https://a.test/to-b";
    check.forward_headers = true;
    pw::follow_redirects(check, std::ref(web));
    REQUIRE(web.requests.size() == 2);
    CHECK(web.requests[1].headers == secret);
  }
  SUBCASE("never from https to http, even when opted in and on the same host") {
    check.url = "https://a.test/down";
    check.forward_headers = true;
    pw::follow_redirects(check, std::ref(web));
    REQUIRE(web.requests.size() == 2);
    CHECK(web.requests[1].url.to_string() == "http://a.test/plain");
    CHECK(web.requests[1].headers.empty());
  }
  SUBCASE("a 307 body keeps its Content-Type on another origin, and nothing else") {
    web.pages["https://a.test/post"] = {307, "https://b.test/"};
    check.url = "https://a.test/post";
    check.method = "POST";
    check.body = "{}";
    check.headers.emplace_back("Content-Type", "application/json");
    pw::follow_redirects(check, std::ref(web));
    REQUIRE(web.requests.size() == 2);
    CHECK(web.requests[1].method == "POST");
    CHECK(web.requests[1].body == "{}");
    CHECK(web.requests[1].headers == Headers{{"Content-Type", "application/json"}});
  }
}

TEST_CASE("redirects: bad URLs and Locations are reported") {
  FakeWeb web;
  const pw::Evidence invalid = pw::follow_redirects(check_for("gopher://x/"), std::ref(web));
  CHECK(invalid.failure == pw::TransportFailure::invalid_url);
  CHECK(invalid.error == "URL \"gopher://x/\" has unsupported scheme \"gopher\"; use http or https");
  CHECK(invalid.url == "gopher://x/");
  CHECK(web.requests.empty());

  web.pages["http://a.test/x"] = {302, "ftp://files.test/"};
  const pw::Evidence bad = pw::follow_redirects(check_for("http://a.test/x"), std::ref(web));
  CHECK(bad.failure == pw::TransportFailure::other);
  CHECK(bad.error ==
        "redirect 302 from http://a.test/x has an unusable Location: URL \"ftp://files.test/\" has unsupported "
        "scheme \"ftp\"; use http or https");

  web.pages["http://a.test/empty"] = {302, ""};
  const pw::Evidence empty = pw::follow_redirects(check_for("http://a.test/empty"), std::ref(web));
  CHECK(empty.failure == pw::TransportFailure::none);
  CHECK(empty.status == 302);
}
