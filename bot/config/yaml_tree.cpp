#include <bot/config/yaml_tree.hpp>

#include <fmt/format.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <sstream>

namespace pw {

namespace {

constexpr std::size_t k_max_nodes = 200'000;
constexpr int k_max_depth = 64;

struct Converter {
  const std::string& file;
  std::string_view text;
  std::size_t nodes = 0;
  std::string failure;

  // yaml-cpp 0.7 reads a quoted value with no closing quote on to the end of the file, swallowing
  // the keys after it. True (with `failure` set) for such a value starting at `mark`.
  bool unterminated(const YAML::Mark& mark) {
    if (mark.pos < 0 || static_cast<std::size_t>(mark.pos) >= text.size()) {
      return false;
    }
    const char quote = text[static_cast<std::size_t>(mark.pos)];
    if (quote != '"' && quote != '\'') {
      return false;  // plain, or a block scalar
    }
    for (std::size_t i = static_cast<std::size_t>(mark.pos) + 1; i < text.size(); ++i) {
      if (quote == '"' && text[i] == '\\') {
        ++i;  // an escape: \" does not close
      } else if (text[i] == quote) {
        if (quote == '\'' && i + 1 < text.size() && text[i + 1] == '\'') {
          ++i;  // '' is a quote inside single quotes
        } else {
          return false;
        }
      }
    }
    failure = fmt::format(
        "{}:{}:{}: the value starting with {} has no closing {} (it runs to the end of the file); "
        "add the closing quote",
        file, mark.line + 1, mark.column + 1, quote, quote);
    return true;
  }

  // Applies YAML merge keys (`<<: *defaults`, or a list of them): entries the map sets itself win,
  // then the first merged map that has the key.
  bool merge(YamlNode& map, const std::vector<YamlNode>& merges, const SourceLocation& at) {
    auto has = [&](const YamlNode& key) {
      return std::any_of(map.entries.begin(), map.entries.end(), [&](const auto& entry) {
        return entry.first.is_scalar() && key.is_scalar() && entry.first.scalar == key.scalar;
      });
    };
    for (const YamlNode& value : merges) {
      std::vector<const YamlNode*> sources;
      if (value.is_map()) {
        sources.push_back(&value);
      } else if (value.is_sequence()) {
        for (const YamlNode& item : value.items) {
          sources.push_back(&item);
        }
      }
      if (sources.empty() ||
          std::any_of(sources.begin(), sources.end(), [](const YamlNode* s) { return !s->is_map(); })) {
        failure = fmt::format(
            "{}:{}:{}: \"<<\" (a YAML merge key) takes a map or a list of maps, as in "
            "<<: *defaults",
            file, at.line, at.column);
        return false;
      }
      for (const YamlNode* source : sources) {
        for (const auto& entry : source->entries) {
          if (!has(entry.first)) {
            map.entries.push_back(entry);
          }
        }
      }
    }
    return true;
  }

  SourceLocation where(const YAML::Mark& mark) const {
    return {file, mark.line < 0 ? 0 : mark.line + 1, mark.column < 0 ? 0 : mark.column + 1};
  }

  bool convert(const YAML::Node& in, YamlNode& out, int depth) {
    if (++nodes > k_max_nodes) {
      failure =
          fmt::format("{}: the config expands to more than {} values (aliases repeated too often?)", file, k_max_nodes);
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
      case YAML::NodeType::Null: out.kind = YamlNode::Kind::null; return true;
      case YAML::NodeType::Scalar:
        if (in.Tag() != "?" && unterminated(in.Mark())) {
          return false;
        }
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
      case YAML::NodeType::Map: {
        out.kind = YamlNode::Kind::map;
        std::vector<YamlNode> merges;
        SourceLocation merge_at;
        for (const auto& entry : in) {
          YamlNode key;
          YamlNode value;
          if (!convert(entry.first, key, depth + 1) || !convert(entry.second, value, depth + 1)) {
            return false;
          }
          if (key.is_scalar() && key.plain && key.scalar == "<<") {
            merge_at = key.location;
            merges.push_back(std::move(value));
          } else {
            out.entries.emplace_back(std::move(key), std::move(value));
          }
        }
        return merges.empty() || merge(out, merges, merge_at);
      }
    }
    return true;
  }
};

// Records where each document and its root node start; the caller reads no further than a
// third document. Replaces YAML::LoadAll, which in yaml-cpp 0.7 (Debian 12) never returns on a
// stray "," at the top level: it keeps reporting an empty document at the same place (fixed
// upstream after 0.8.0).
class DocumentStarts final : public YAML::EventHandler {
 public:
  std::vector<YAML::Mark> starts;
  std::vector<YAML::Mark> roots;

  // True when the last document started where the one before it did: the parser is stuck.
  bool stuck() const { return starts.size() >= 2 && starts.back().pos == starts[starts.size() - 2].pos; }

  void OnDocumentStart(const YAML::Mark& mark) override {
    starts.push_back(mark);
    m_root_seen = false;
  }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& mark, YAML::anchor_t) override { node(mark); }
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t) override { node(mark); }
  void OnScalar(const YAML::Mark& mark, const std::string&, YAML::anchor_t, const std::string&) override { node(mark); }
  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {
    node(mark);
  }
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {
    node(mark);
  }
  void OnMapEnd() override {}

 private:
  void node(const YAML::Mark& mark) {
    if (!m_root_seen) {
      roots.push_back(mark);
      m_root_seen = true;
    }
  }

  bool m_root_seen = false;
};

}  // namespace

Expected<YamlNode> parse_yaml(std::string_view text, const std::string& file) {
  DocumentStarts documents;
  YAML::Node document;
  try {
    std::istringstream input{std::string(text)};
    YAML::Parser parser(input);
    while (documents.starts.size() < 3 && parser.HandleNextDocument(documents)) {
      if (documents.stuck()) {
        const YAML::Mark& mark = documents.starts.back();
        return fail(fmt::format("{}:{}:{}: invalid YAML: cannot read on from here (a stray \",\"?)", file,
                                mark.line + 1, mark.column + 1));
      }
    }
    if (documents.starts.size() == 1) {
      document = YAML::Load(std::string(text));
    }
  } catch (const YAML::Exception& error) {
    return fail(fmt::format("{}:{}:{}: invalid YAML: {}", file, error.mark.line + 1, error.mark.column + 1, error.msg));
  } catch (const std::exception& error) {
    return fail(fmt::format("{}: invalid YAML: {}", file, error.what()));
  }
  if (documents.starts.size() > 1) {
    const YAML::Mark& mark = documents.roots.size() > 1 ? documents.roots[1] : documents.starts[1];
    return fail(fmt::format("{}:{}:{}: the config holds more than one YAML document; keep one", file, mark.line + 1,
                            mark.column + 1));
  }
  YamlNode root;
  root.location = {file, 1, 1};
  if (documents.starts.empty()) {
    return root;
  }
  Converter converter{file, text, 0, {}};
  try {
    if (!converter.convert(document, root, 0)) {
      return fail(converter.failure);
    }
  } catch (const std::exception& error) {
    return fail(fmt::format("{}: invalid YAML: {}", file, error.what()));
  }
  return root;
}

}  // namespace pw
