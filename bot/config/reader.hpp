#pragma once

#include <bot/config/config.hpp>
#include <bot/config/keys.hpp>
#include <bot/config/substitute.hpp>
#include <bot/config/yaml_tree.hpp>
#include <bot/core/environment.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pw {

// Reads typed values out of YAML nodes, collecting every problem as "file:line:col: message".
// Internal to the config loader.
class ConfigReader {
 public:
  ConfigReader(const Environment& env, Redactor& secrets, ReferenceBrackets brackets = {})
      : m_env(env), m_secrets(secrets), m_brackets(brackets) {}

  // Records that the setting `key` at `at` names the file `path` (once per place in the file);
  // `hint` says what to do when it is missing.
  void refer_to_file(FileReference file);
  // Returns the files recorded so far.
  const std::vector<FileReference>& files() const { return m_files; }

  // Registers a secret the config holds outside ${NAME} (a proxy's password).
  void add_secret(std::string_view secret) { m_secrets.add(secret); }
  // Declares the variables whose values are shown, not redacted (the config's `public:`).
  void set_public(PublicVariables publics) { m_publics = std::move(publics); }

  void error(const YamlNode& at, const std::string& message);
  void error(const SourceLocation& at, const std::string& message);
  const std::vector<std::string>& errors() const { return m_errors; }
  // Returns a value for a message: secrets redacted before it is cut to `max_bytes`, so a cut
  // never shows part of a secret; valid UTF-8.
  std::string shown(std::string_view value, std::size_t max_bytes = 80) const;

  // Reports unknown keys of `section` in map `node` (with a did-you-mean) and duplicate keys.
  void check_keys(const YamlNode& node, Section section);
  // Returns the value of `key` in map `node`, or nullptr.
  static const YamlNode* get(const YamlNode& node, std::string_view key);

  std::optional<std::string> string(const YamlNode& node, std::string_view key);
  std::optional<long long> integer(const YamlNode& node, const KeyInfo& key);
  std::optional<bool> boolean(const YamlNode& node, std::string_view key);
  std::optional<Millis> duration(const YamlNode& node, std::string_view key);
  std::optional<std::size_t> size(const YamlNode& node, std::string_view key);
  std::optional<std::vector<std::string>> string_list(const YamlNode& node, std::string_view key);
  std::optional<std::vector<StatusRange>> status_list(const YamlNode& node);
  // A map of scalars; values substituted from the environment.
  std::optional<std::vector<std::pair<std::string, std::string>>> string_map(const YamlNode& node,
                                                                             std::string_view key);
  std::optional<Regex> regex(const YamlNode& node, std::string_view key);

 private:
  std::optional<std::string> scalar_text(const YamlNode& node, std::string_view key, std::string_view kind);

  const Environment& m_env;
  Redactor& m_secrets;
  ReferenceBrackets m_brackets;
  PublicVariables m_publics;
  std::vector<std::string> m_errors;
  std::vector<FileReference> m_files;
};

// Reads the `maintenance:` list into config.maintenance; run after the checks are read, since a
// window names them.
void read_maintenance(ConfigReader& reader, const YamlNode& node, Config& config);

// Reads the `vantages:` list into config.vantages.
void read_vantages(ConfigReader& reader, const YamlNode& node, Config& config);

// Fills `check` from the merged `node` (a check with its defaults merged in).
void read_check_settings(ConfigReader& reader, const YamlNode& node, Check& check);

}  // namespace pw
