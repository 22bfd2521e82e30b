#include <bot/config/schema.hpp>

#include <bot/config/keys.hpp>

#include <nlohmann/json.hpp>

namespace pw {

namespace {

using nlohmann::json;

json object_of(Section section);

json default_value(const KeyInfo& key) {
  if (key.default_value.empty()) {
    return nullptr;
  }
  const std::string text(key.default_value);
  switch (key.type) {
    case ValueType::integer: return std::stoll(text);
    case ValueType::boolean: return text == "true";
    case ValueType::string_list: return text == "[]" ? json::array() : json::array({text.substr(1, text.size() - 2)});
    default: return text;
  }
}

json schema_of(const KeyInfo& key) {
  json schema;
  switch (key.type) {
    case ValueType::integer:
      schema = {{"type", "integer"}, {"minimum", key.minimum}};
      if (key.maximum != 0) {
        schema["maximum"] = key.maximum;
      }
      break;
    case ValueType::boolean: schema = {{"type", "boolean"}}; break;
    case ValueType::string: schema = {{"type", "string"}}; break;
    case ValueType::url: schema = {{"type", "string"}, {"pattern", "^(https?://|tcp://|tls://|dns://|\\$\\{)"}}; break;
    case ValueType::duration: schema = {{"$ref", "#/$defs/duration"}}; break;
    case ValueType::size: schema = {{"$ref", "#/$defs/size"}}; break;
    case ValueType::status_list:
      schema = {
          {"oneOf", json::array({{{"$ref", "#/$defs/status"}},
                                 {{"type", "array"}, {"items", {{"$ref", "#/$defs/status"}}}, {"minItems", 1}}})}};
      break;
    case ValueType::string_list:
      schema = {{"oneOf", json::array({{{"type", "string"}}, {{"type", "array"}, {"items", {{"type", "string"}}}}})}};
      break;
    case ValueType::string_map:
      schema = {{"type", "object"}, {"additionalProperties", {{"type", {"string", "number", "boolean"}}}}};
      break;
    case ValueType::regex_map:
      schema = {{"type", "object"}, {"additionalProperties", {{"type", "string"}, {"format", "regex"}}}};
      break;
    case ValueType::json_map:
      schema = {{"type", "object"},
                {"propertyNames", {{"pattern", "^(/.*)?$"}}},
                {"additionalProperties", {{"type", {"string", "number", "boolean", "null"}}}}};
      break;
    case ValueType::expect: schema = object_of(Section::expect); break;
    case ValueType::wait_for:
      schema = {{"oneOf", json::array({{{"type", "boolean"}}, object_of(Section::wait_for)})}};
      break;
    case ValueType::defaults: schema = object_of(Section::defaults); break;
    case ValueType::issues: schema = object_of(Section::issues); break;
    case ValueType::maintenance:
      schema = {{"type", "array"}, {"items", object_of(Section::maintenance)}};
      schema["items"]["required"] = {"name"};
      schema["items"]["oneOf"] = json::array({{{"required", {"start", "end"}}}, {{"required", {"cron", "duration"}}}});
      break;
    case ValueType::vantages:
      schema = {{"type", "array"}, {"items", object_of(Section::vantage)}};
      schema["items"]["required"] = {"name"};
      schema["items"]["properties"]["network"]["enum"] = {"inside", "outside"};
      break;
    case ValueType::timestamp:
      schema = {
          {"type", "string"},
          {"pattern", "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})$"}};
      break;
    case ValueType::checks:
      schema = {{"type", "array"}, {"minItems", 1}, {"items", object_of(Section::check)}};
      schema["items"]["anyOf"] = json::array({{{"required", {"name"}}}, {{"required", {"id"}}}});
      schema["items"]["required"] = {"url"};
      break;
  }
  schema["description"] = std::string(key.description);
  if (json value = default_value(key); !value.is_null()) {
    schema["default"] = std::move(value);
  }
  return schema;
}

json object_of(Section section) {
  json properties = json::object();
  for (const KeyInfo& key : keys_of(section)) {
    properties[std::string(key.name)] = schema_of(key);
  }
  return {{"type", "object"}, {"additionalProperties", false}, {"properties", std::move(properties)}};
}

}  // namespace

std::string config_schema() {
  json schema = object_of(Section::top);
  schema["$schema"] = "https://json-schema.org/draft/2020-12/schema";
  schema["$id"] = "https://github.com/probewatch/probewatch/blob/main/probewatch.schema.json";
  schema["title"] = "probewatch configuration";
  schema["description"] = "HTTP(S) checks and how probewatch files one GitHub issue per failing check.";
  schema["required"] = {"checks"};
  schema["patternProperties"] = {{"^x-", json::object()}};  // extension keys, a place for YAML anchors
  schema["$defs"] = {
      {"duration",
       {{"type", "string"},
        {"pattern", "^([0-9]+(ms|s|m|h|d))+$"},
        {"description", "A duration such as 250ms, 10s, 5m, 1h or 1h30m."}}},
      {"size",
       {{"oneOf", json::array({{{"type", "integer"}, {"minimum", 1}},
                               {{"type", "string"}, {"pattern", "^[0-9]+ ?([KkMm]i?[Bb]?|[Bb])?$"}}})},
        {"description", "Bytes, or a size such as 512KiB or 1MiB."}}},
      {"status",
       {{"oneOf", json::array({{{"type", "integer"}, {"minimum", 100}, {"maximum", 599}},
                               {{"type", "string"}, {"pattern", "^[1-5][0-9]{2}(-[1-5][0-9]{2})?$"}}})},
        {"description", "A status code such as 200, or a range such as \"200-299\"."}}},
  };
  return schema.dump(2);
}

}  // namespace pw
