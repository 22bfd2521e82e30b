#pragma once

// Shared between fake_github.cpp and fake_github_routes.cpp; not for tests.

#include <support/fake_github/fake_github.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace pw::test {

struct FakeGitHub::Route {
  std::string operation = "unknown";
  std::string repo_name;                // from /repos/{owner}/{repo}
  std::optional<std::int64_t> repo_id;  // from /repositories/{id}
  std::vector<std::string> rest;        // segments after the repository
  int number = 0;                       // issue number, when the route has one
};

struct FakeGitHub::Context {
  std::string method;
  std::string path;                                         // without the API prefix
  std::string query;                                        // raw
  std::vector<std::pair<std::string, std::string>> params;  // decoded
  UrlBase base;
  std::string login;

  // Returns the first value of `name`, or nullopt.
  std::optional<std::string> param(std::string_view name) const {
    for (const auto& [key, value] : params) {
      if (key == name) {
        return value;
      }
    }
    return std::nullopt;
  }
};

// Returns true when two label names are the same to GitHub (case-insensitive).
bool same_name(std::string_view a, std::string_view b);

// A JSON response with the given status.
github::HttpResponse json_response(int status, std::string body);

}  // namespace pw::test
