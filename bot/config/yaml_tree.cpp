#include <bot/config/yaml_tree.hpp>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

namespace pw {

namespace {

constexpr std::size_t k_max_nodes = 200'000;
constexpr int k_max_depth = 64;

struct Converter {
  const std::string& file;
  std::size_t nodes = 0;
  std::string failure;

  SourceLocation where(const YAML::Mark& mark) const {
    return {file, mark.line < 0 ? 0 : mark.line + 1, mark.column < 0 ? 0 : mark.column + 1};
  }

  bool convert(const YAML::Node& in, YamlNode& out, int depth) {
    if (++nodes > k_max_nodes) {
      failure = fmt::format("{}: the config expands to more than {} values (aliases repeated too often?)",
                            file, k_max_nodes);
      return false;
    }
    out.location = where(in.Mark());
    if (depth > k_max_depth) {
      failure = fmt::format("{}:{}:{}: the config nests deeper than {} levels", file, out.location.line,
                            out.location.column, k_max_depth);
      return false;
    }
    switch (in.Type()) {
      case YAML::NodeType::Undefined:
      case YAML::NodeType::Null:
        out.kind = YamlNode::Kind::null;
        return true;
      case YAML::NodeType::Scalar:
        out.kind = YamlNode::Kind::scalar;
        out.scalar = in.Scalar();
        out.plain = in.Tag() == "?";
        return true;
      case YAML::NodeType::Sequence:
        out.kind = YamlNode::Kind::sequence;
        for (const YAML::Node& item : in) {
          YamlNode& child = out.items.emplace_back();
          if (!convert(item, child, depth + 1)) {
            return false;
          }
        }
        return true;
      case YAML::NodeType::Map:
        out.kind = YamlNode::Kind::map;
        for (const auto& entry : in) {
          auto& [key, value] = out.entries.emplace_back();
          if (!convert(entry.first, key, depth + 1) || !convert(entry.second, value, depth + 1)) {
            return false;
          }
        }
        return true;
    }
    return true;
  }
};

}  // namespace

Expected<YamlNode> parse_yaml(std::string_view text, const std::string& file) {
  std::vector<YAML::Node> documents;
  try {
    documents = YAML::LoadAll(std::string(text));
  } catch (const YAML::Exception& error) {
    return fail(fmt::format("{}:{}:{}: invalid YAML: {}", file, error.mark.line + 1, error.mark.column + 1,
                            error.msg));
  } catch (const std::exception& error) {
    return fail(fmt::format("{}: invalid YAML: {}", file, error.what()));
  }
  if (documents.size() > 1) {
    const YAML::Mark mark = documents[1].Mark();
    return fail(fmt::format("{}:{}:{}: the config holds more than one YAML document; keep one", file,
                            mark.line + 1, mark.column + 1));
  }
  YamlNode root;
  root.location = {file, 1, 1};
  if (documents.empty()) {
    return root;
  }
  Converter converter{file, 0, {}};
  try {
    if (!converter.convert(documents.front(), root, 0)) {
      return fail(converter.failure);
    }
  } catch (const std::exception& error) {
    return fail(fmt::format("{}: invalid YAML: {}", file, error.what()));
  }
  return root;
}

}  // namespace pw
