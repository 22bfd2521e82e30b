#include <github_client/decode.hpp>

#include <fmt/format.h>

#include <climits>
#include <cstdint>
#include <optional>

namespace github {

namespace {

using nlohmann::json;

constexpr int k_max_depth = 64;
constexpr std::size_t k_max_message = 500;

std::unexpected<DecodeError> fail(std::string message) { return std::unexpected(DecodeError{std::move(message)}); }

bool too_deep(std::string_view text) {
  int depth = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > k_max_depth) {
        return true;
      }
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return false;
}

const json* member(const json& object, std::string_view key) {
  auto found = object.find(key);
  return found == object.end() ? nullptr : &*found;
}

// A string field: absent or null reads as empty when optional.
Decoded<std::string> string_field(const json& object, std::string_view key, bool required) {
  const json* value = member(object, key);
  if (value == nullptr || value->is_null()) {
    if (required) {
      return fail(fmt::format("field \"{}\" is missing", key));
    }
    return std::string();
  }
  if (!value->is_string()) {
    return fail(fmt::format("field \"{}\" is not a string", key));
  }
  return value->get<std::string>();
}

Decoded<std::int64_t> integer_field(const json& object, std::string_view key, std::int64_t min, std::int64_t max) {
  const json* value = member(object, key);
  if (value == nullptr || value->is_null()) {
    return fail(fmt::format("field \"{}\" is missing", key));
  }
  std::optional<std::int64_t> number;
  if (value->is_number_unsigned()) {
    auto unsigned_value = value->get<std::uint64_t>();
    if (unsigned_value <= static_cast<std::uint64_t>(INT64_MAX)) {
      number = static_cast<std::int64_t>(unsigned_value);
    }
  } else if (value->is_number_integer()) {
    number = value->get<std::int64_t>();
  } else {
    return fail(fmt::format("field \"{}\" is not an integer", key));
  }
  if (!number || *number < min || *number > max) {
    return fail(fmt::format("field \"{}\" is out of range", key));
  }
  return *number;
}

// The login of a user object such as "user"; null reads as empty.
Decoded<std::string> login_of(const json* user, std::string_view key) {
  if (user == nullptr || user->is_null()) {
    return std::string();
  }
  if (!user->is_object()) {
    return fail(fmt::format("field \"{}\" is not an object", key));
  }
  auto login = string_field(*user, "login", false);
  if (!login) {
    return fail(fmt::format("field \"{}\": {}", key, login.error().message));
  }
  return login;
}

Decoded<std::vector<std::string>> label_names(const json* labels) {
  std::vector<std::string> names;
  if (labels == nullptr || labels->is_null()) {
    return names;
  }
  if (!labels->is_array()) {
    return fail("field \"labels\" is not an array");
  }
  for (const auto& label : *labels) {
    if (label.is_string()) {
      names.push_back(label.get<std::string>());
    } else if (label.is_object()) {
      auto name = string_field(label, "name", true);
      if (!name) {
        return fail("field \"labels\": " + name.error().message);
      }
      names.push_back(std::move(*name));
    } else {
      return fail("field \"labels\" holds something other than a label");
    }
  }
  return names;
}

Decoded<std::vector<std::string>> assignee_logins(const json* assignees) {
  std::vector<std::string> logins;
  if (assignees == nullptr || assignees->is_null()) {
    return logins;
  }
  if (!assignees->is_array()) {
    return fail("field \"assignees\" is not an array");
  }
  for (const auto& assignee : *assignees) {
    auto login = login_of(&assignee, "assignees");
    if (!login) {
      return std::unexpected(login.error());
    }
    logins.push_back(std::move(*login));
  }
  return logins;
}

std::string clip(std::string text) {
  if (text.size() > k_max_message) {
    text.resize(k_max_message);
    text += "...";
  }
  for (char& c : text) {
    if (static_cast<unsigned char>(c) < 0x20) {
      c = ' ';
    }
  }
  return text;
}

std::string scalar_text(const json& value) {
  if (value.is_string()) {
    return value.get<std::string>();
  }
  if (value.is_number() || value.is_boolean()) {
    return value.dump();
  }
  return std::string();
}

}  // namespace

Decoded<json> parse_json(std::string_view text) {
  if (too_deep(text)) {
    return fail(fmt::format("JSON nested deeper than {} levels", k_max_depth));
  }
  json parsed = json::parse(text, nullptr, false);
  if (parsed.is_discarded()) {
    return fail("not valid JSON");
  }
  return parsed;
}

Decoded<Issue> decode_issue(const json& value) {
  if (!value.is_object()) {
    return fail("an issue is not a JSON object");
  }
  Issue issue;
  auto number = integer_field(value, "number", 1, INT_MAX);
  if (!number) {
    return std::unexpected(number.error());
  }
  issue.number = static_cast<int>(*number);
  struct Field {
    std::string_view key;
    std::string* target;
    bool required;
  };
  const Field fields[] = {
      {"title", &issue.title, true},
      {"body", &issue.body, false},
      {"state", &issue.state, true},
      {"state_reason", &issue.state_reason, false},
      {"html_url", &issue.html_url, false},
      {"created_at", &issue.created_at, false},
      {"updated_at", &issue.updated_at, false},
      {"closed_at", &issue.closed_at, false},
  };
  for (const auto& field : fields) {
    auto text = string_field(value, field.key, field.required);
    if (!text) {
      return fail(fmt::format("issue #{}: {}", issue.number, text.error().message));
    }
    *field.target = std::move(*text);
  }
  auto labels = label_names(member(value, "labels"));
  auto assignees = assignee_logins(member(value, "assignees"));
  auto user = login_of(member(value, "user"), "user");
  for (const auto* failed :
       {labels ? nullptr : &labels.error(), assignees ? nullptr : &assignees.error(), user ? nullptr : &user.error()}) {
    if (failed != nullptr) {
      return fail(fmt::format("issue #{}: {}", issue.number, failed->message));
    }
  }
  issue.labels = std::move(*labels);
  issue.assignees = std::move(*assignees);
  issue.user = std::move(*user);
  issue.pull_request = value.contains("pull_request");
  // `type` is an object with a name on organizations with issue types, null or absent elsewhere.
  if (const json* type = member(value, "type"); type != nullptr && type->is_object()) {
    if (const json* name = member(*type, "name"); name != nullptr && name->is_string()) {
      issue.type = name->get<std::string>();
    }
  }
  return issue;
}

Decoded<Comment> decode_comment(const json& value) {
  if (!value.is_object()) {
    return fail("a comment is not a JSON object");
  }
  Comment comment;
  auto id = integer_field(value, "id", 1, INT64_MAX);
  if (!id) {
    return fail("comment: " + id.error().message);
  }
  comment.id = *id;
  auto body = string_field(value, "body", false);
  auto html_url = string_field(value, "html_url", false);
  auto created_at = string_field(value, "created_at", false);
  auto user = login_of(member(value, "user"), "user");
  for (const auto* failed : {body ? nullptr : &body.error(), html_url ? nullptr : &html_url.error(),
                             created_at ? nullptr : &created_at.error(), user ? nullptr : &user.error()}) {
    if (failed != nullptr) {
      return fail(fmt::format("comment {}: {}", comment.id, failed->message));
    }
  }
  comment.body = std::move(*body);
  comment.html_url = std::move(*html_url);
  comment.created_at = std::move(*created_at);
  comment.user = std::move(*user);
  return comment;
}

Decoded<Label> decode_label(const json& value) {
  if (!value.is_object()) {
    return fail("a label is not a JSON object");
  }
  auto name = string_field(value, "name", true);
  if (!name) {
    return fail("label: " + name.error().message);
  }
  auto color = string_field(value, "color", false);
  auto description = string_field(value, "description", false);
  for (const auto* failed : {color ? nullptr : &color.error(), description ? nullptr : &description.error()}) {
    if (failed != nullptr) {
      return fail(fmt::format("label \"{}\": {}", *name, failed->message));
    }
  }
  return Label{std::move(*name), std::move(*color), std::move(*description)};
}

Decoded<PullRequest> decode_pull_request(const json& value) {
  if (!value.is_object()) {
    return fail("a pull request is not a JSON object");
  }
  PullRequest pull;
  auto number = integer_field(value, "number", 1, INT_MAX);
  if (!number) {
    return fail("pull request: " + number.error().message);
  }
  pull.number = static_cast<int>(*number);
  auto title = string_field(value, "title", true);
  auto state = string_field(value, "state", false);
  auto url = string_field(value, "html_url", false);
  auto merged = string_field(value, "merged_at", false);
  for (const auto* field : {&title, &state, &url, &merged}) {
    if (!*field) {
      return fail(fmt::format("pull request #{}: {}", pull.number, field->error().message));
    }
  }
  pull.title = std::move(*title);
  pull.state = std::move(*state);
  pull.html_url = std::move(*url);
  pull.merged_at = std::move(*merged);
  return pull;
}

bool is_pull_request(const json& item) { return item.is_object() && item.contains("pull_request"); }

ApiErrorBody decode_error_body(std::string_view body) {
  ApiErrorBody decoded;
  auto parsed = parse_json(body);
  if (!parsed || !parsed->is_object()) {
    return decoded;
  }
  if (auto message = string_field(*parsed, "message", false)) {
    decoded.message = clip(std::move(*message));
  }
  if (auto url = string_field(*parsed, "documentation_url", false)) {
    decoded.documentation_url = clip(std::move(*url));
  }
  const json* errors = member(*parsed, "errors");
  if (errors == nullptr || !errors->is_array()) {
    return decoded;
  }
  for (const auto& entry : *errors) {
    ValidationError error;
    if (entry.is_string()) {
      error.message = clip(entry.get<std::string>());
    } else if (entry.is_object()) {
      const std::pair<std::string_view, std::string*> fields[] = {
          {"resource", &error.resource}, {"code", &error.code}, {"field", &error.field}, {"message", &error.message}};
      for (const auto& [key, target] : fields) {
        if (const json* text = member(entry, key); text != nullptr && text->is_string()) {
          *target = clip(text->get<std::string>());
        }
      }
      if (const json* value = member(entry, "value"); value != nullptr) {
        error.value = clip(scalar_text(*value));
      }
    } else {
      continue;
    }
    decoded.errors.push_back(std::move(error));
    if (decoded.errors.size() >= 50) {
      break;
    }
  }
  return decoded;
}

}  // namespace github
