#include <bot/expect/expectations.hpp>

#include <bot/core/json_pointer.hpp>
#include <bot/core/text.hpp>
#include <bot/model/deploy.hpp>

#include <base/iso8601.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <optional>

namespace pw {

namespace {

constexpr std::size_t k_shown_value = 120;

// A value quoted in a message: sanitized, cut, and with a note when cut.
std::string shown(std::string_view value) {
  const std::string clean = sanitize_utf8(utf8_prefix(value, k_shown_value));
  return value.size() > k_shown_value ? fmt::format("\"{}…\"", clean) : fmt::format("\"{}\"", clean);
}

std::string expected_text(const JsonExpectation& expectation) {
  return expectation.expected_is_string && !expectation.comparison ? fmt::format("\"{}\"", expectation.expected)
                                                                   : expectation.expected;
}

bool compares(double actual, const NumericComparison& comparison) {
  using Op = NumericComparison::Op;
  const double operand = comparison.operand;
  const bool equal = std::fabs(actual - operand) <= 1e-9 * std::max(1.0, std::fabs(operand));
  switch (comparison.op) {
    case Op::less: return actual < operand && !equal;
    case Op::less_equal: return actual < operand || equal;
    case Op::greater: return actual > operand && !equal;
    case Op::greater_equal: return actual > operand || equal;
    case Op::equal: return equal;
    case Op::not_equal: return !equal;
  }
  return false;
}

// Returns the failure message of a comparison on `actual`, or nullopt when it holds.
std::optional<std::string> compare_failure(const nlohmann::json& actual, const JsonExpectation& expectation);

bool json_equals(const nlohmann::json& actual, const JsonExpectation& expectation) {
  const std::string& want = expectation.expected;
  if (actual.is_string()) {
    // A string matches only a string expectation: /build: 42 does not accept "42".
    return expectation.expected_is_string && actual.get_ref<const std::string&>() == want;
  }
  if (actual.is_boolean()) {
    return (actual.get<bool>() ? "true" : "false") == want;
  }
  if (actual.is_null()) {
    return want == "null" || want == "~";
  }
  if (actual.is_number() && expectation.expected_is_string) {
    // /version: "42" accepts the number 42, written as JSON writes it.
    return actual.dump() == want;
  }
  if (actual.is_number()) {
    char* end = nullptr;
    const double wanted = std::strtod(want.c_str(), &end);
    if (want.empty() || end == nullptr || *end != '\0') {
      return false;
    }
    return std::fabs(actual.get<double>() - wanted) <= 1e-9 * std::max(1.0, std::fabs(wanted));
  }
  return false;  // objects and arrays never equal a scalar
}

std::string json_shown(const nlohmann::json& value) {
  if (value.is_string()) {
    return shown(value.get_ref<const std::string&>());
  }
  const std::string dumped = value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  const std::string clean = sanitize_utf8(utf8_prefix(dumped, k_shown_value));
  return dumped.size() > k_shown_value ? clean + "…" : clean;
}

void judge_json(const Expect& expect, const Evidence& evidence, std::vector<FailedExpectation>& failed) {
  if (expect.json.empty()) {
    return;
  }
  const nlohmann::json document = nlohmann::json::parse(evidence.body, nullptr, false);
  if (document.is_discarded()) {
    const std::string why = evidence.body_truncated ? " (it was cut at the body size limit)" : "";
    const std::string* type = evidence.header("content-type");
    const std::string type_note = type != nullptr ? fmt::format(", content-type {}", shown(*type)) : "";
    for (const JsonExpectation& expectation : expect.json) {
      failed.push_back({"json:" + expectation.pointer,
                        fmt::format("{}: body is not valid JSON{}{}", expectation.pointer, why, type_note)});
    }
    return;
  }
  for (const JsonExpectation& expectation : expect.json) {
    const nlohmann::json* actual = resolve_json_pointer(document, expectation.tokens);
    if (actual == nullptr) {
      failed.push_back({"json:" + expectation.pointer,
                        fmt::format("{} missing, expected {}", expectation.pointer, expected_text(expectation))});
    } else if (expectation.comparison) {
      if (auto message = compare_failure(*actual, expectation)) {
        failed.push_back({"json:" + expectation.pointer, std::move(*message)});
      }
    } else if (!json_equals(*actual, expectation)) {
      failed.push_back({"json:" + expectation.pointer, fmt::format("{} is {}, expected {}", expectation.pointer,
                                                                   json_shown(*actual), expected_text(expectation))});
    }
  }
}

std::optional<std::string> compare_failure(const nlohmann::json& actual, const JsonExpectation& expectation) {
  const NumericComparison& comparison = *expectation.comparison;
  if (comparison.length) {
    if (!actual.is_array() && !actual.is_object() && !actual.is_string()) {
      return fmt::format("{} is {}, expected an array, object or string with {}", expectation.pointer,
                         json_shown(actual), expectation.expected);
    }
    const std::size_t length =
        actual.is_string() ? actual.get_ref<const std::string&>().size() : static_cast<std::size_t>(actual.size());
    if (compares(static_cast<double>(length), comparison)) {
      return std::nullopt;
    }
    return fmt::format("{} has length {}, expected {}", expectation.pointer, length, expectation.expected);
  }
  if (!actual.is_number()) {
    return fmt::format("{} is {}, expected a number {}", expectation.pointer, json_shown(actual), expectation.expected);
  }
  if (compares(actual.get<double>(), comparison)) {
    return std::nullopt;
  }
  return fmt::format("{} is {}, expected {}", expectation.pointer, json_shown(actual), expectation.expected);
}

// "2026-12-14".
std::string date_of(TimePoint time) {
  const auto date = std::chrono::year_month_day{std::chrono::floor<std::chrono::days>(time)};
  return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(date.year()), static_cast<unsigned>(date.month()),
                     static_cast<unsigned>(date.day()));
}

void judge_certificate(const Expect& expect, const Evidence& evidence, TimePoint now,
                       std::vector<FailedExpectation>& failed) {
  if (expect.cert_days_left) {
    if (!evidence.tls || !evidence.tls->leaf) {
      failed.push_back({"cert_days_left", "no TLS certificate to check (cert_days_left needs an https URL)"});
    } else {
      const TimePoint not_after = evidence.tls->chain_not_after.value_or(evidence.tls->leaf->not_after);
      const auto left = std::chrono::floor<std::chrono::days>(not_after - now).count();
      if (left < *expect.cert_days_left) {
        failed.push_back({"cert_days_left", fmt::format("certificate expires in {} days ({}), fewer than {}", left,
                                                        date_of(not_after), *expect.cert_days_left)});
      }
    }
  }
}

// A DNS value compared the way names compare: without case and without the root's trailing dot.
std::string dns_normalized(std::string_view value) {
  std::string out = to_lower(trim(value));
  if (out.size() > 1 && out.back() == '.') {
    out.pop_back();
  }
  return out;
}

void judge_dns(const Expect& expect, const DnsEvidence& dns, std::vector<FailedExpectation>& failed) {
  const std::string wanted = expect.rcode.value_or("NOERROR");
  if (dns.rcode != wanted) {
    failed.push_back(
        {"rcode:" + dns.rcode, fmt::format("rcode {} from {}, expected {}", dns.rcode, dns.server, wanted)});
    return;
  }
  if (wanted != "NOERROR") {
    return;
  }
  std::string got;
  for (const DnsAnswer& answer : dns.answers) {
    if (answer.type == dns.record) {
      got += (got.empty() ? "" : ", ") + answer.value;
    }
  }
  if (expect.answers.empty() && got.empty()) {
    failed.push_back({"answers", fmt::format("no {} record in the answer from {}", dns.record, dns.server)});
  }
  for (const std::string& value : expect.answers) {
    const bool found = std::any_of(dns.answers.begin(), dns.answers.end(), [&](const DnsAnswer& answer) {
      return answer.type == dns.record && dns_normalized(answer.value) == dns_normalized(value);
    });
    if (!found) {
      failed.push_back({"answers", fmt::format("{} answer {} missing; got [{}]", dns.record, shown(value), got)});
    }
  }
}

// tcp://, tls:// and dns:// evidence: no HTTP status, so only the expectations of those kinds apply.
void judge_socket(const Expect& expect, const Evidence& evidence, TimePoint now,
                  std::vector<FailedExpectation>& failed) {
  if (expect.max_response_time && evidence.response_time > *expect.max_response_time) {
    failed.push_back({"max_response_time", fmt::format("response time {}ms over {}", evidence.response_time.count(),
                                                       format_duration(*expect.max_response_time))});
  }
  if (expect.reply_matches && !expect.reply_matches->matches(evidence.body)) {
    failed.push_back({"reply_matches", fmt::format("reply {} does not match /{}/", shown(evidence.body),
                                                   expect.reply_matches->pattern())});
  }
  if (evidence.dns) {
    judge_dns(expect, *evidence.dns, failed);
  }
  if (evidence.tls) {
    judge_certificate(expect, evidence, now, failed);
  }
}

}  // namespace

std::optional<std::string> degraded_reason(const Expect& expect, const Evidence& evidence) {
  if (!expect.degraded_response_time || evidence.failure != TransportFailure::none ||
      evidence.response_time <= *expect.degraded_response_time) {
    return std::nullopt;
  }
  return fmt::format("response time {}ms over degraded_response_time {}", evidence.response_time.count(),
                     format_duration(*expect.degraded_response_time));
}

std::string format_status_ranges(const std::vector<StatusRange>& ranges) {
  std::string out = "[";
  for (std::size_t i = 0; i < ranges.size(); ++i) {
    if (i > 0) {
      out += ", ";
    }
    out += ranges[i].low == ranges[i].high ? fmt::format("{}", ranges[i].low)
                                           : fmt::format("{}-{}", ranges[i].low, ranges[i].high);
  }
  return out + "]";
}

namespace {

// "abc1234 or v1.4.2": what a served version must name.
std::string deploy_named(const ExpectedDeploy& deploy) {
  std::string named = short_sha(deploy.sha);
  if (!deploy.ref.empty() && !iequals(deploy.ref, deploy.sha)) {
    named += " or ";
    named += deploy.ref;
  }
  return named;
}

void judge_deploy(const ExpectedDeploy& deploy, const Evidence& evidence, std::vector<FailedExpectation>& failed) {
  const std::optional<std::string> served = served_version(deploy.source, evidence);
  if (!served) {
    failed.push_back({"version", fmt::format("no version at {}, expected the deployed {}", deploy.source.text,
                                             deploy_named(deploy))});
  } else if (!version_matches(*served, deploy)) {
    failed.push_back({"version", fmt::format("version at {} is {}, expected the deployed {}", deploy.source.text,
                                             shown(*served), deploy_named(deploy))});
  }
}

}  // namespace

std::vector<FailedExpectation> judge(const Expect& expect, const Evidence& evidence, TimePoint now) {
  std::vector<FailedExpectation> failed;
  if (evidence.failure != TransportFailure::none) {
    return failed;
  }
  if (!evidence.status) {
    judge_socket(expect, evidence, now, failed);
    return failed;
  }
  const int status = *evidence.status;
  bool status_ok = false;
  for (const StatusRange& range : expect.status) {
    status_ok = status_ok || range.contains(status);
  }
  if (!status_ok) {
    failed.push_back({fmt::format("status:{}", status),
                      fmt::format("status {} not in {}", status, format_status_ranges(expect.status))});
  }
  if (expect.max_response_time && evidence.response_time > *expect.max_response_time) {
    failed.push_back({"max_response_time", fmt::format("response time {}ms over {}", evidence.response_time.count(),
                                                       format_duration(*expect.max_response_time))});
  }
  if (expect.body_contains && evidence.body.find(*expect.body_contains) == std::string::npos) {
    failed.push_back({"body_contains", fmt::format("body does not contain {}", shown(*expect.body_contains))});
  }
  if (expect.body_matches && !expect.body_matches->matches(evidence.body)) {
    failed.push_back({"body_matches", fmt::format("body does not match /{}/", expect.body_matches->pattern())});
  }
  judge_json(expect, evidence, failed);
  for (const HeaderExpectation& expectation : expect.headers) {
    const std::string* value = evidence.header(expectation.name);
    if (!expectation.pattern) {
      if (value != nullptr) {
        failed.push_back({"header:" + expectation.name,
                          fmt::format("header {} is {}, expected absent", expectation.name, shown(*value))});
      }
    } else if (value == nullptr) {
      failed.push_back({"header:" + expectation.name, fmt::format("header {} missing, expected /{}/", expectation.name,
                                                                  expectation.pattern->pattern())});
    } else if (!expectation.pattern->matches(*value)) {
      failed.push_back({"header:" + expectation.name, fmt::format("header {} is {}, expected /{}/", expectation.name,
                                                                  shown(*value), expectation.pattern->pattern())});
    }
  }
  if (expect.deploy) {
    judge_deploy(*expect.deploy, evidence, failed);
  }
  judge_certificate(expect, evidence, now, failed);
  return failed;
}

namespace {

// The early-warning check "X<suffix>" made from `check`, named "NAME <what>", with an empty
// verdict: its incident says "expires soon" instead of "is failing", and it raises no warning of
// its own.
EarlyWarning early_warning_of(const Check& check, std::string_view suffix, std::string_view what) {
  EarlyWarning warning;
  warning.check = check;
  warning.check.id = check.id + std::string(suffix);
  warning.check.name = fmt::format("{} {}", check.name, what);
  warning.check.early_warning = "expires soon";
  warning.check.cert_warning.reset();
  warning.check.domain_warning.reset();
  warning.result.id = warning.check.id;
  warning.result.attempts = 1;
  return warning;
}

}  // namespace

std::optional<EarlyWarning> certificate_warning(const Check& check, const CheckResult& probed, TimePoint now) {
  const Evidence& evidence = probed.evidence;
  if (!check.cert_warning) {
    return std::nullopt;
  }
  EarlyWarning warning = early_warning_of(check, k_certificate_warning_suffix, "certificate");
  CheckResult& result = warning.result;
  result.evidence = evidence;
  result.evidence.body.clear();  // the certificate is the evidence here, not the response
  if (!evidence.tls || !evidence.tls->leaf) {
    result.no_verdict = true;
    return warning;
  }
  const TimePoint not_after = evidence.tls->chain_not_after.value_or(evidence.tls->leaf->not_after);
  const auto left = std::chrono::floor<std::chrono::days>(not_after - now).count();
  const auto within = std::chrono::duration_cast<std::chrono::days>(*check.cert_warning).count();
  result.ok = not_after - now > *check.cert_warning;
  if (!result.ok) {
    const std::string names = evidence.tls->leaf->names.empty()
                                  ? evidence.tls->leaf->subject
                                  : fmt::format("{}", fmt::join(evidence.tls->leaf->names, ", "));
    result.failed.push_back(
        {"cert_warning",
         left < 0
             ? fmt::format("the certificate for {} expired on {}", names, date_of(not_after))
             : fmt::format("the certificate for {} expires in {} day{} ({}), within the {}-day warning (cert_warning)",
                           names, left, left == 1 ? "" : "s", date_of(not_after), within)});
  }
  return warning;
}

std::optional<std::string> served_version(const VersionSource& source, const Evidence& evidence) {
  std::string raw;
  if (!source.header.empty()) {
    const std::string* value = evidence.header(source.header);
    if (value == nullptr) {
      return std::nullopt;
    }
    raw = *value;
  } else {
    const nlohmann::json document = nlohmann::json::parse(evidence.body, nullptr, false);
    const nlohmann::json* value = document.is_discarded() ? nullptr : resolve_json_pointer(document, source.tokens);
    if (value == nullptr || value->is_null() || value->is_structured()) {
      return std::nullopt;
    }
    raw = value->is_string() ? value->get<std::string>()
                             : value->dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  }
  std::string clean = sanitize_utf8(utf8_prefix(trim(raw), k_version_bytes));
  std::replace_if(
      clean.begin(), clean.end(), [](char c) { return c == '\t' || c == '\n'; }, ' ');
  if (clean.empty()) {
    return std::nullopt;
  }
  return clean;
}

namespace {

// "2026-08-13T04:00:00Z", also with fractional seconds or a "+00:00" offset as RDAP servers write.
std::optional<TimePoint> rdap_time(std::string text) {
  if (text.size() > 6 && (text.ends_with("+00:00") || text.ends_with("-00:00"))) {
    text.replace(text.size() - 6, 6, "Z");
  }
  if (const std::size_t dot = text.find('.'); dot != std::string::npos && text.ends_with('Z')) {
    text.erase(dot, text.size() - 1 - dot);
  }
  return base::parse_iso8601(text);
}

}  // namespace

std::expected<TimePoint, std::string> rdap_expiration(std::string_view body) {
  const nlohmann::json answer = nlohmann::json::parse(body, nullptr, false);
  if (answer.is_discarded() || !answer.is_object()) {
    return std::unexpected("the answer is not a JSON object");
  }
  const auto events = answer.find("events");
  if (events == answer.end() || !events->is_array()) {
    return std::unexpected("the answer has no \"events\" list");
  }
  for (const nlohmann::json& event : *events) {
    if (!event.is_object() || event.value("eventAction", nlohmann::json()) != "expiration") {
      continue;
    }
    const nlohmann::json date = event.value("eventDate", nlohmann::json());
    if (!date.is_string()) {
      return std::unexpected("its \"expiration\" event has no eventDate");
    }
    if (auto time = rdap_time(date.get<std::string>())) {
      return *time;
    }
    return std::unexpected(fmt::format("its expiration date \"{}\" is not an ISO 8601 time",
                                       sanitize_utf8(utf8_prefix(date.get<std::string>(), 40))));
  }
  return std::unexpected("the answer has no \"expiration\" event (some registries publish none)");
}

std::optional<EarlyWarning> domain_warning(const Check& check, const Evidence* answer, TimePoint now) {
  if (!check.domain_warning || !check.domain) {
    return std::nullopt;
  }
  EarlyWarning warning = early_warning_of(check, k_domain_warning_suffix, "domain");
  CheckResult& result = warning.result;
  const std::string& domain = *check.domain;
  auto undecided = [&](std::string why) {
    result.no_verdict = true;
    warning.problem = fmt::format("could not read the registration of {}: {}; the domain warning of {} stays as it was",
                                  domain, why, check.id);
    return warning;
  };
  if (answer == nullptr) {
    return undecided("no answer");
  }
  result.evidence = *answer;
  if (answer->failure != TransportFailure::none) {
    return undecided(fmt::format("{} ({})", answer->error, answer->url));
  }
  if (answer->status != 200) {
    return undecided(fmt::format("the RDAP server answered {} for {}", answer->status.value_or(0), answer->url));
  }
  auto expires = rdap_expiration(answer->body);
  if (!expires) {
    return undecided(fmt::format("{} ({})", expires.error(), answer->url));
  }
  const auto left = std::chrono::floor<std::chrono::days>(*expires - now).count();
  const auto within = std::chrono::duration_cast<std::chrono::days>(*check.domain_warning).count();
  result.ok = *expires - now > *check.domain_warning;
  if (!result.ok) {
    result.failed.push_back(
        {"domain_warning",
         left < 0 ? fmt::format("the registration of {} expired on {}", domain, date_of(*expires))
                  : fmt::format("the domain {} expires in {} day{} ({}), within the {}-day warning (domain_warning)",
                                domain, left, left == 1 ? "" : "s", date_of(*expires), within)});
  }
  return warning;
}

}  // namespace pw
