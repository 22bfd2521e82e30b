#pragma once

#include <bot/core/error.hpp>

#include <nlohmann/json_fwd.hpp>

#include <array>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace pw {

// The templates the bot renders; each is a Mustache file in templates/ that users may override.
enum class TemplateName { issue, section, still_failing, recovered, reopened, duplicate, removed, dashboard };

inline constexpr std::array<TemplateName, 8> k_template_names = {
    TemplateName::issue,    TemplateName::section,   TemplateName::still_failing, TemplateName::recovered,
    TemplateName::reopened, TemplateName::duplicate, TemplateName::removed,       TemplateName::dashboard};

// The template's file name: "issue.md", "still-failing.md", ...
std::string_view file_name(TemplateName name);

// The built-in template text (compiled from templates/ into the binary).
std::string_view default_template(TemplateName name);

// The title, labels and assignees a template's front matter sets.
struct FrontMatter {
  std::string title;
  std::vector<std::string> labels;
  std::vector<std::string> assignees;
};

struct RenderedIssue {
  FrontMatter front;
  std::string body;
  std::vector<std::string> warnings;  // what had to give way for the text to fit, for people
};

// The set of templates in use: the defaults with any overrides.
class TemplateSet {
 public:
  // Returns the built-in templates.
  static TemplateSet defaults();
  // Returns the defaults with `files` (file name -> text) replacing them. Fails naming the file
  // for an unknown file name or a template that does not parse.
  static Expected<TemplateSet> with_overrides(const std::map<std::string, std::string>& files,
                                              const std::string& folder);

  // Renders a template with `context`; partials may name any other template ("{{> section}}").
  Expected<std::string> render(TemplateName name, const nlohmann::json& context) const;

 private:
  std::map<TemplateName, std::string> m_text;
};

// Splits rendered text into its front matter (between "---" lines at the top) and the rest.
// Front matter keys: title (text), labels and assignees (a [list] or one name). Fails on an
// unknown key or an unterminated block.
Expected<RenderedIssue> split_front_matter(std::string_view rendered);

}  // namespace pw
