#include <bot/core/json_pointer.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace pw {

Expected<std::vector<std::string>> parse_json_pointer(std::string_view pointer) {
  std::vector<std::string> tokens;
  if (pointer.empty()) {
    return tokens;
  }
  if (pointer.front() != '/') {
    return fail(fmt::format("JSON Pointer \"{}\" must start with \"/\" (as in /status)", std::string(pointer)));
  }
  std::string token;
  for (std::size_t i = 1; i <= pointer.size(); ++i) {
    if (i == pointer.size() || pointer[i] == '/') {
      tokens.push_back(std::move(token));
      token.clear();
      continue;
    }
    if (pointer[i] == '~') {
      if (i + 1 < pointer.size() && (pointer[i + 1] == '0' || pointer[i + 1] == '1')) {
        token += pointer[i + 1] == '0' ? '~' : '/';
        ++i;
        continue;
      }
      return fail(fmt::format("JSON Pointer \"{}\" has \"~\" not followed by 0 or 1 (write ~0 for ~ and ~1 for /)",
                              std::string(pointer)));
    }
    token += pointer[i];
  }
  return tokens;
}

namespace {

bool parse_index(const std::string& token, std::size_t& index) {
  if (token.empty() || token.size() > 9 || (token.size() > 1 && token[0] == '0')) {
    return false;
  }
  index = 0;
  for (const char c : token) {
    if (c < '0' || c > '9') {
      return false;
    }
    index = index * 10 + static_cast<std::size_t>(c - '0');
  }
  return true;
}

}  // namespace

const nlohmann::json* resolve_json_pointer(const nlohmann::json& document, const std::vector<std::string>& tokens) {
  const nlohmann::json* node = &document;
  for (const std::string& token : tokens) {
    if (node->is_object()) {
      const auto it = node->find(token);
      if (it == node->end()) {
        return nullptr;
      }
      node = &*it;
    } else if (node->is_array()) {
      std::size_t index = 0;
      if (!parse_index(token, index) || index >= node->size()) {
        return nullptr;
      }
      node = &(*node)[index];
    } else {
      return nullptr;
    }
  }
  return node;
}

}  // namespace pw
