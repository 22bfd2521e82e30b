#pragma once

#include <github_client/transport.hpp>

#include <nlohmann/json.hpp>

#include <expected>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace pw::test {

// One request/response pair recorded from api.github.com (an @octokit/fixtures scenario entry).
struct RecordedExchange {
  std::string method;           // upper case
  std::string path;             // as recorded, with its query
  nlohmann::json request_body;  // null when the request had none
  int status = 0;
  github::Headers headers;  // names lower-cased, numbers turned into text
  std::string body;         // the response body as sent
};

// Reads a scenario's normalized-fixture.json; fails naming the file and what is wrong.
std::expected<std::vector<RecordedExchange>, std::string> load_scenario(const std::filesystem::path& file);

// Returns the path of scenario `name` (e.g. "paginate-issues") under the repository root.
std::filesystem::path scenario_file(const std::filesystem::path& source_dir, const std::string& name);

}  // namespace pw::test
