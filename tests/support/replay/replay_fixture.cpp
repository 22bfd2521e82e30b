#include <support/replay/replay_fixture.hpp>

#include <fstream>
#include <sstream>

namespace pw::test {

namespace {

using nlohmann::json;

std::string upper(std::string text) {
  for (char& c : text) {
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return text;
}

std::string lower(std::string text) {
  for (char& c : text) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return text;
}

}  // namespace

std::filesystem::path scenario_file(const std::filesystem::path& source_dir, const std::string& name) {
  return source_dir / "node_modules" / "@octokit" / "fixtures" / "scenarios" / "api.github.com" / name /
         "normalized-fixture.json";
}

std::expected<std::vector<RecordedExchange>, std::string> load_scenario(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) {
    return std::unexpected("cannot read " + file.string() + " (run npm ci to install @octokit/fixtures)");
  }
  std::stringstream text;
  text << in.rdbuf();
  json fixture = json::parse(text.str(), nullptr, false);
  if (fixture.is_discarded() || !fixture.is_array()) {
    return std::unexpected(file.string() + ": not a JSON array of recorded requests");
  }
  std::vector<RecordedExchange> exchanges;
  for (const auto& entry : fixture) {
    if (!entry.is_object() || !entry.contains("method") || !entry.contains("path") || !entry.contains("status")) {
      return std::unexpected(file.string() + ": an entry lacks method, path or status");
    }
    RecordedExchange exchange;
    exchange.method = upper(entry["method"].get<std::string>());
    exchange.path = entry["path"].get<std::string>();
    exchange.status = entry["status"].get<int>();
    if (entry.contains("body") && !(entry["body"].is_string() && entry["body"].get<std::string>().empty())) {
      exchange.request_body = entry["body"];
    }
    if (entry.contains("headers") && entry["headers"].is_object()) {
      for (const auto& [name, value] : entry["headers"].items()) {
        exchange.headers.emplace_back(lower(name), value.is_string() ? value.get<std::string>() : value.dump());
      }
    }
    const json& response = entry.value("response", json(""));
    exchange.body = response.is_string() ? response.get<std::string>() : response.dump();
    exchanges.push_back(std::move(exchange));
  }
  return exchanges;
}

}  // namespace pw::test
