// README.md stays true: its config reference matches the key table behind the loader and
// `probewatch schema`, and its quick-start config loads.
#include <bot/config/keys.hpp>
#include <bot/config/load.hpp>

#include <doctest/doctest.h>

#include <fstream>
#include <set>
#include <sstream>

namespace {

std::string readme() {
  std::ifstream in(PROBEWATCH_SOURCE_DIR "/README.md");
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// The table rows under `heading`, up to the next heading: key -> whole row.
std::map<std::string, std::string> table_under(const std::string& text, const std::string& heading) {
  std::map<std::string, std::string> rows;
  const std::size_t start = text.find("\n" + heading + "\n");
  REQUIRE_MESSAGE(start != std::string::npos, "README has no heading " << heading);
  const std::size_t end = text.find("\n#", start + heading.size() + 2);
  std::istringstream lines(text.substr(start, end - start));
  for (std::string line; std::getline(lines, line);) {
    if (line.starts_with("| `")) {
      const std::size_t close = line.find('`', 3);
      rows.emplace(line.substr(3, close - 3), line);
    }
  }
  return rows;
}

}  // namespace

TEST_CASE("readme: the config reference lists exactly the keys the loader accepts, with their defaults") {
  const std::string text = readme();
  const std::pair<pw::Section, std::string> sections[] = {
      {pw::Section::top, "### Top level"},        {pw::Section::check, "### `checks[]` and `defaults`"},
      {pw::Section::expect, "### `expect`"},      {pw::Section::wait_for, "### `wait_for`"},
      {pw::Section::issues, "### `issues`"},      {pw::Section::maintenance, "### `maintenance[]`"},
      {pw::Section::vantage, "### `vantages[]`"},
  };
  for (const auto& [section, heading] : sections) {
    const auto rows = table_under(text, heading);
    std::set<std::string> known;
    for (const pw::KeyInfo& key : pw::keys_of(section)) {
      known.insert(std::string(key.name));
      INFO(heading << " key " << key.name);
      const auto row = rows.find(std::string(key.name));
      REQUIRE(row != rows.end());
      if (!key.default_value.empty()) {
        std::string quoted = "`";
        quoted += key.default_value;
        quoted += '`';
        CHECK(row->second.find(quoted) != std::string::npos);
      }
    }
    for (const auto& [name, row] : rows) {
      INFO(heading << " documents " << name);
      CHECK(known.count(name) == 1);
    }
  }
  // defaults takes every check key but the identity ones.
  for (const pw::KeyInfo& key : pw::keys_of(pw::Section::defaults)) {
    CHECK(pw::find_key(pw::Section::check, key.name) != nullptr);
  }
}

TEST_CASE("readme: the quick-start config validates") {
  const std::string text = readme();
  const std::size_t quick = text.find("## Quick start");
  const std::size_t begin = text.find("```yaml\n", quick);
  const std::size_t end = text.find("```", begin + 8);
  REQUIRE(begin != std::string::npos);
  std::string block = text.substr(begin + 8, end - begin - 8);
  // Undo the list indentation of the Markdown step.
  std::string config;
  std::istringstream lines(block);
  for (std::string line; std::getline(lines, line);) {
    config += (line.starts_with("   ") ? line.substr(3) : line) + "\n";
  }
  auto loaded = pw::load_config(config, "README quick start", {});
  REQUIRE_MESSAGE(loaded.has_value(), loaded.error().message);
  CHECK(loaded->checks.size() == 2);
}
