#include <bot/render/issue_writer.hpp>

#include <bot/core/text.hpp>
#include <bot/core/timestamp.hpp>
#include <bot/render/markdown.hpp>

#include <fmt/format.h>

namespace pw {

namespace {

constexpr std::string_view k_section_slot = "\x01probewatch-section\x01";
constexpr std::string_view k_cut_note = "\n\n… (cut: GitHub limits issue text to 65,536 characters)\n";

// Cheaper evidence budgets, tried in turn until the text fits.
constexpr EvidenceBudget k_budgets[] = {{2048, 40}, {512, 12}, {0, 0}};

std::string wrap_section(std::string_view marker, std::string_view section) {
  return fmt::format("{}\n{}\n{}\n{}", k_section_begin, marker, section, k_section_end);
}

}  // namespace

std::string replace_owned_section(std::string_view body, std::string_view section) {
  const std::size_t begin = body.find("<!-- probewatch:begin");
  const std::size_t end = begin == std::string_view::npos ? std::string_view::npos : body.find(k_section_end, begin);
  if (begin != std::string_view::npos && end != std::string_view::npos) {
    return std::string(body.substr(0, begin)) + std::string(section) +
           std::string(body.substr(end + k_section_end.size()));
  }
  // The delimiters were edited away: drop any stray marker line and append a fresh section.
  std::string kept(body);
  const std::size_t marker = kept.find("<!-- probewatch:v1 ");
  if (marker != std::string::npos) {
    const std::size_t close = kept.find("-->", marker);
    kept.erase(marker, close == std::string::npos ? std::string::npos : close + 3 - marker);
  }
  while (!kept.empty() && (kept.back() == '\n' || kept.back() == ' ')) {
    kept.pop_back();
  }
  return kept + "\n\n" + std::string(section) + "\n";
}

Expected<std::string> IssueWriter::owned_section(const IncidentFacts& facts, bool with_marker) const {
  for (const EvidenceBudget& budget : k_budgets) {
    auto section = m_templates.render(TemplateName::section, incident_context(facts, m_run, m_secrets, budget));
    if (!section) {
      return section;
    }
    std::string text = m_secrets.apply(*section);
    const std::string marker = with_marker ? format_marker(facts.state) : std::string();
    if (text.size() + marker.size() + 200 < k_max_issue_text / 2 || budget.body_bytes == 0) {
      text = cut_text(text, k_max_issue_text / 2, k_cut_note);
      return with_marker ? wrap_section(marker, text) : text;
    }
  }
  return fail("unreachable: evidence budgets exhausted");
}

Expected<RenderedIssue> IssueWriter::new_incident(const IncidentFacts& facts) const {
  auto section = owned_section(facts, true);
  if (!section) {
    return std::unexpected(section.error());
  }
  nlohmann::json context = incident_context(facts, m_run, m_secrets, {512, 12});
  context["section"] = std::string(k_section_slot);
  auto rendered = m_templates.render(TemplateName::issue, context);
  if (!rendered) {
    return std::unexpected(rendered.error());
  }
  auto issue = split_front_matter(m_secrets.apply(*rendered));
  if (!issue) {
    return fail(fmt::format("template issue.md: {}", issue.error().message));
  }
  const std::size_t room = k_max_issue_text - std::min(k_max_issue_text, section->size());
  std::string body = issue->body;
  const std::size_t slot = body.find(k_section_slot);
  if (slot == std::string::npos) {
    body = cut_text(body, room, k_cut_note) + "\n\n" + *section;
  } else {
    std::string before = body.substr(0, slot);
    std::string after = body.substr(slot + k_section_slot.size());
    before = cut_text(before, room / 2, k_cut_note);
    after = cut_text(after, room / 2, k_cut_note);
    body = before + *section + after;
  }
  issue->body = std::move(body);
  if (issue->front.title.empty()) {
    issue->front.title = fmt::format("{} is failing", facts.check.name);
  }
  issue->front.title = m_secrets.apply(sanitize_utf8(utf8_prefix(issue->front.title, 250)));
  return issue;
}

Expected<std::string> IssueWriter::updated_body(std::string_view current, const IncidentFacts& facts) const {
  auto section = owned_section(facts, true);
  if (!section) {
    return section;
  }
  std::string body = replace_owned_section(current, *section);
  if (body.size() > k_max_issue_text) {
    // People's text outside the section grew too long: keep the section, cut the rest.
    const std::size_t begin = body.find(k_section_begin);
    const std::string outside = cut_text(body.substr(0, begin), k_max_issue_text - section->size(), k_cut_note);
    body = outside + *section;
  }
  return body;
}

Expected<std::string> IssueWriter::comment(const Action& action, const IncidentFacts& facts) const {
  if (action.comment == CommentReason::duplicate) {
    return duplicate_comment(action.check, action.duplicate_of);
  }
  if (action.comment == CommentReason::removed) {
    return removed_comment(action.check);
  }
  auto section = owned_section(facts, false);
  if (!section) {
    return section;
  }
  nlohmann::json context = incident_context(facts, m_run, m_secrets, {512, 12});
  context["section"] = *section;
  context["changed"] = action.comment == CommentReason::changed;
  context["previous_reason_code"] = inline_code(
      m_secrets.redact(action.previous_reason.empty() ? action.previous_signature : action.previous_reason));
  TemplateName name = TemplateName::still_failing;
  if (action.comment == CommentReason::recovered) {
    name = TemplateName::recovered;
  } else if (action.comment == CommentReason::reopened) {
    name = TemplateName::reopened;
  }
  auto rendered = m_templates.render(name, context);
  if (!rendered) {
    return rendered;
  }
  return cut_text(m_secrets.apply(*rendered), k_max_issue_text, k_cut_note);
}

Expected<std::string> IssueWriter::removed_comment(const std::string& check_id) const {
  auto rendered = m_templates.render(TemplateName::removed, {{"check", {{"id", check_id}}}});
  if (!rendered) {
    return rendered;
  }
  return m_secrets.apply(*rendered);
}

Expected<std::string> IssueWriter::duplicate_comment(const std::string& check_id, int kept) const {
  auto rendered = m_templates.render(TemplateName::duplicate, {{"check", {{"id", check_id}}}, {"duplicate_of", kept}});
  if (!rendered) {
    return rendered;
  }
  return m_secrets.apply(*rendered);
}

}  // namespace pw
