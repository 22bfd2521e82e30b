// Fuzzes the small parsers of outside text; the first byte picks one, the rest is its input:
//   0: durations ("1h30m")           checked against a reference parser in 128-bit arithmetic
//   1: status codes and ranges        checked against a reference parser (one item a line)
//   2: shards ("2/10")                in range; scope() parses back to the same shard
//   3: ISO 8601 times (GitHub's)      format_iso8601 of a parsed time parses back to it

#include "fuzz_check.hpp"

#include <bot/config/reader.hpp>
#include <bot/config/shard.hpp>
#include <bot/core/duration.hpp>
#include <github_client/iso8601.hpp>

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

namespace {

// A duration per the documented grammar: (digits unit)+, unit one of ms s m h d; nullopt when
// malformed or when it does not fit in int64 milliseconds.
std::optional<std::int64_t> reference_duration(std::string_view text) {
  if (text.empty()) {
    return std::nullopt;
  }
  __int128 total = 0;
  std::size_t i = 0;
  while (i < text.size()) {
    if (text[i] < '0' || text[i] > '9') {
      return std::nullopt;
    }
    __int128 number = 0;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
      number = number * 10 + (text[i] - '0');
      if (number > std::numeric_limits<std::int64_t>::max()) {
        return std::nullopt;
      }
      ++i;
    }
    const std::string_view rest = text.substr(i);
    std::int64_t unit = 0;
    if (rest.starts_with("ms")) {
      unit = 1;
      i += 2;
    } else if (rest.starts_with("s")) {
      unit = 1000;
      ++i;
    } else if (rest.starts_with("m")) {
      unit = 60'000;
      ++i;
    } else if (rest.starts_with("h")) {
      unit = 3'600'000;
      ++i;
    } else if (rest.starts_with("d")) {
      unit = 86'400'000;
      ++i;
    } else {
      return std::nullopt;
    }
    total += number * unit;
    if (total > std::numeric_limits<std::int64_t>::max()) {
      return std::nullopt;
    }
  }
  return static_cast<std::int64_t>(total);
}

void fuzz_duration(std::string_view text) {
  const auto parsed = pw::parse_duration(text);
  const auto expected = reference_duration(text);
  if (parsed) {
    FUZZ_CHECK(expected.has_value() && *expected == parsed->count());
    FUZZ_CHECK(!pw::format_duration(*parsed).empty());
  } else {
    // The parser may refuse numbers within 8 of INT64_MAX that the reference still accepts.
    FUZZ_CHECK(!expected || *expected > std::numeric_limits<std::int64_t>::max() - 8 ||
               text.find("922337203685477580") != std::string_view::npos);
    FUZZ_CHECK(!parsed.error().message.empty());
  }
}

std::optional<int> reference_status(std::string_view text) {
  if (text.size() != 3) {
    return std::nullopt;
  }
  int value = 0;
  for (const char c : text) {
    if (c < '0' || c > '9') {
      return std::nullopt;
    }
    value = value * 10 + (c - '0');
  }
  return value >= 100 && value <= 599 ? std::optional(value) : std::nullopt;
}

std::string_view reference_trim(std::string_view text) {
  const auto space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  while (!text.empty() && space(text.front())) {
    text.remove_prefix(1);
  }
  while (!text.empty() && space(text.back())) {
    text.remove_suffix(1);
  }
  return text;
}

void fuzz_status(std::string_view text) {
  pw::YamlNode list;
  list.kind = pw::YamlNode::Kind::sequence;
  list.location = {"fuzz.yml", 1, 1};
  const auto lines = fuzz::split(text, '\n');
  for (const auto line : lines) {
    pw::YamlNode item;
    item.kind = pw::YamlNode::Kind::scalar;
    item.scalar = std::string(line);
    item.plain = true;
    item.location = {"fuzz.yml", static_cast<int>(list.items.size()) + 2, 3};
    list.items.push_back(std::move(item));
  }
  const pw::Environment env = {{"CODES", "200-299"}};
  pw::Redactor secrets;
  pw::ConfigReader reader(env, secrets);
  const auto ranges = reader.status_list(lines.size() == 1 ? list.items.front() : list);
  if (ranges) {
    FUZZ_CHECK(reader.errors().empty());
    FUZZ_CHECK(ranges->size() == lines.size());
    for (const pw::StatusRange& range : *ranges) {
      FUZZ_CHECK(range.low >= 100 && range.low <= range.high && range.high <= 599);
    }
  } else {
    FUZZ_CHECK(!reader.errors().empty());
  }
  if (text.find('$') != std::string_view::npos) {
    return;  // substitution changes the text; the reference reads it as written
  }
  bool all_valid = true;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const std::string_view value = reference_trim(lines[i]);
    const std::size_t dash = value.find('-');
    const auto low = reference_status(value.substr(0, dash));
    const auto high = dash == std::string_view::npos ? low : reference_status(value.substr(dash + 1));
    const bool valid = low && high && *low <= *high;
    all_valid = all_valid && valid;
    if (valid && ranges) {
      FUZZ_CHECK((*ranges)[i].low == *low && (*ranges)[i].high == *high);
    }
  }
  FUZZ_CHECK(all_valid == ranges.has_value());
}

void fuzz_shard(std::string_view text) {
  const auto shard = pw::parse_shard(text);
  if (!shard) {
    FUZZ_CHECK(!shard.error().message.empty());
    return;
  }
  FUZZ_CHECK(shard->index >= 1 && shard->index <= shard->count && shard->count <= 1000);
  FUZZ_CHECK(shard->contains("api-health") || !shard->contains("api-health"));
  if (shard->count > 1) {
    const auto again = pw::parse_shard(shard->scope());
    FUZZ_CHECK(again && again->index == shard->index && again->count == shard->count);
  } else {
    FUZZ_CHECK(shard->scope().empty());
  }
}

void fuzz_iso8601(std::string_view text) {
  const auto time = github::parse_iso8601(text);
  if (!time) {
    return;
  }
  const std::string formatted = github::format_iso8601(*time);
  const auto again = github::parse_iso8601(formatted);
  FUZZ_CHECK(again.has_value());
  FUZZ_CHECK(*again == std::chrono::floor<std::chrono::seconds>(*time));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) {
    return 0;
  }
  const std::string_view text = fuzz::as_text(data + 1, size - 1);
  switch (data[0] % 4) {
    case 0: fuzz_duration(text); break;
    case 1: fuzz_status(text); break;
    case 2: fuzz_shard(text); break;
    default: fuzz_iso8601(text); break;
  }
  return 0;
}
