#pragma once

#include <algorithm>
#include <cctype>
#include <string>
#include <string_view>
#include <vector>

namespace pw::test {

// Returns the values of the double-quoted attributes named `names` (lower-case; matched without
// case, with optional spaces around "="), in document order: what a page links to or loads. A
// plain scan, since std::regex trips GCC 12's -Wmaybe-uninitialized under the sanitizers.
inline std::vector<std::string> attribute_values(std::string_view html, const std::vector<std::string>& names) {
  std::vector<std::string> values;
  for (std::size_t at = html.find('='); at != std::string_view::npos; at = html.find('=', at + 1)) {
    std::size_t end = at;
    while (end > 0 && html[end - 1] == ' ') {
      --end;
    }
    std::size_t start = end;
    while (start > 0 && std::isalpha(static_cast<unsigned char>(html[start - 1])) != 0) {
      --start;
    }
    std::string name(html.substr(start, end - start));
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (std::find(names.begin(), names.end(), name) == names.end()) {
      continue;
    }
    std::size_t open = at + 1;
    while (open < html.size() && html[open] == ' ') {
      ++open;
    }
    if (open >= html.size() || html[open] != '"') {
      continue;
    }
    const std::size_t close = html.find('"', open + 1);
    if (close == std::string_view::npos) {
      break;
    }
    values.emplace_back(html.substr(open + 1, close - open - 1));
  }
  return values;
}

}  // namespace pw::test
