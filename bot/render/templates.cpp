#include <bot/render/templates.hpp>

#include <bot/core/text.hpp>
#include <bot/render/mustache.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace pw {

std::string_view embedded_template(std::string_view file);  // generated from templates/

namespace {

std::vector<std::string> parse_list(std::string_view value) {
  std::vector<std::string> out;
  value = trim(value);
  if (value.starts_with('[') && value.ends_with(']')) {
    value = value.substr(1, value.size() - 2);
  }
  while (!value.empty()) {
    const std::size_t comma = value.find(',');
    std::string_view item = trim(value.substr(0, comma));
    if (item.size() >= 2 && (item.front() == '"' || item.front() == '\'') && item.back() == item.front()) {
      item = item.substr(1, item.size() - 2);
    }
    if (!item.empty()) {
      out.emplace_back(item);
    }
    if (comma == std::string_view::npos) {
      break;
    }
    value = value.substr(comma + 1);
  }
  return out;
}

std::string unquote(std::string_view value) {
  value = trim(value);
  if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
    std::string out;
    for (std::size_t i = 1; i + 1 < value.size(); ++i) {
      if (value[i] == '\\' && i + 2 < value.size()) {
        ++i;
      }
      out += value[i];
    }
    return out;
  }
  if (value.size() >= 2 && value.front() == '\'' && value.back() == '\'') {
    return std::string(value.substr(1, value.size() - 2));
  }
  return std::string(value);
}

}  // namespace

std::string_view file_name(TemplateName name) {
  switch (name) {
    case TemplateName::issue: return "issue.md";
    case TemplateName::section: return "section.md";
    case TemplateName::still_failing: return "still-failing.md";
    case TemplateName::recovered: return "recovered.md";
    case TemplateName::reopened: return "reopened.md";
    case TemplateName::duplicate: return "duplicate.md";
    case TemplateName::removed: return "removed.md";
    case TemplateName::dashboard: return "dashboard.md";
  }
  return "";
}

std::string_view default_template(TemplateName name) { return embedded_template(file_name(name)); }

TemplateSet TemplateSet::defaults() {
  TemplateSet set;
  for (const TemplateName name : k_template_names) {
    set.m_text[name] = std::string(default_template(name));
  }
  return set;
}

Expected<TemplateSet> TemplateSet::with_overrides(const std::map<std::string, std::string>& files,
                                                  const std::string& folder) {
  TemplateSet set = defaults();
  for (const auto& [file, text] : files) {
    const TemplateName* match = nullptr;
    for (const TemplateName& name : k_template_names) {
      if (file_name(name) == file) {
        match = &name;
      }
    }
    if (match == nullptr) {
      std::string known;
      for (const TemplateName name : k_template_names) {
        known += known.empty() ? "" : ", ";
        known += file_name(name);
      }
      return fail(fmt::format("{}/{}: not a probewatch template; the templates are {}", folder, file, known));
    }
    if (auto checked = check_mustache(text); !checked) {
      return fail(fmt::format("{}/{}: {}", folder, file, checked.error().message));
    }
    set.m_text[*match] = text;
  }
  return set;
}

Expected<std::string> TemplateSet::render(TemplateName name, const nlohmann::json& context) const {
  Partials partials;
  for (const auto& [other, text] : m_text) {
    std::string_view file = file_name(other);
    partials.emplace(std::string(file.substr(0, file.find('.'))), text);
  }
  auto rendered = render_mustache(m_text.at(name), context, partials);
  if (!rendered) {
    return fail(fmt::format("template {}: {}", file_name(name), rendered.error().message));
  }
  return rendered;
}

Expected<RenderedIssue> split_front_matter(std::string_view rendered) {
  RenderedIssue out;
  std::string_view text = rendered;
  if (!text.starts_with("---\n")) {
    out.body = std::string(trim(text));
    return out;
  }
  text.remove_prefix(4);
  const std::size_t end = text.find("\n---");
  if (end == std::string_view::npos && !text.starts_with("---")) {
    return fail("the front matter opened with --- is never closed by a --- line");
  }
  const std::string_view block = text.starts_with("---") ? std::string_view() : text.substr(0, end + 1);
  std::string_view rest = text.substr(text.starts_with("---") ? 3 : end + 4);
  std::size_t line_start = 0;
  while (line_start < block.size()) {
    const std::size_t line_end = block.find('\n', line_start);
    const std::string_view line = trim(block.substr(line_start, line_end - line_start));
    line_start = line_end == std::string_view::npos ? block.size() : line_end + 1;
    if (line.empty() || line.starts_with('#')) {
      continue;
    }
    const std::size_t colon = line.find(':');
    const std::string_view key = trim(line.substr(0, colon));
    const std::string_view value = colon == std::string_view::npos ? std::string_view() : line.substr(colon + 1);
    if (key == "title") {
      out.front.title = unquote(value);
    } else if (key == "labels") {
      out.front.labels = parse_list(value);
    } else if (key == "assignees") {
      out.front.assignees = parse_list(value);
    } else {
      return fail(fmt::format("unknown front matter key \"{}\"; use title, labels or assignees",
                              sanitize_utf8(utf8_prefix(key, 40))));
    }
  }
  out.body = std::string(trim(rest));
  return out;
}

}  // namespace pw
