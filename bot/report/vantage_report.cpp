#include <bot/report/vantage_report.hpp>

#include <bot/core/text.hpp>
#include <bot/core/timestamp.hpp>
#include <bot/report/evidence_json.hpp>

#include <base/iso8601.hpp>

#include <fmt/format.h>

#include <array>
#include <limits>
#include <utility>

namespace pw {

namespace {

using nlohmann::json;

constexpr std::array<std::pair<Phase, const char*>, 6> k_phases{{{Phase::resolve, "resolve"},
                                                                 {Phase::connect, "connect"},
                                                                 {Phase::tls, "tls"},
                                                                 {Phase::write, "write"},
                                                                 {Phase::headers, "headers"},
                                                                 {Phase::body, "body"}}};

constexpr std::array<TransportFailure, 10> k_failures{
    TransportFailure::none,          TransportFailure::invalid_url,
    TransportFailure::dns,           TransportFailure::refused,
    TransportFailure::tls,           TransportFailure::timeout,
    TransportFailure::reset,         TransportFailure::too_many_redirects,
    TransportFailure::redirect_loop, TransportFailure::other};

const char* phase_name(Phase phase) {
  for (const auto& [value, name] : k_phases) {
    if (value == phase) {
      return name;
    }
  }
  return "resolve";
}

json string_list(const std::vector<std::string>& items, const Redactor& secrets) {
  json list = json::array();
  for (const std::string& item : items) {
    list.push_back(secrets.apply(item));
  }
  return list;
}

json time_or_null(std::optional<TimePoint> time) { return time ? json(format_timestamp(*time)) : json(nullptr); }

// Reads typed fields out of one report, stopping at the first problem with its JSON path.
class FieldReader {
 public:
  explicit FieldReader(std::string file) : m_file(std::move(file)) {}

  const std::optional<Error>& error() const { return m_error; }

  void fail_at(const std::string& path, const std::string& what) {
    if (!m_error) {
      m_error = Error{fmt::format("{}: {}: {}", m_file, path, what)};
    }
  }

  const json* member(const json& object, const std::string& path, const char* key, bool required) {
    if (m_error) {
      return nullptr;
    }
    const auto found = object.find(key);
    if (found == object.end() || (found->is_null() && !required)) {
      if (required) {
        fail_at(path, fmt::format("missing \"{}\"", key));
      }
      return nullptr;
    }
    return &*found;
  }

  std::string text(const json& object, const std::string& path, const char* key, bool required = false) {
    const json* value = member(object, path, key, required);
    if (value == nullptr) {
      return "";
    }
    if (!value->is_string()) {
      fail_at(path + "." + key, "expected a string");
      return "";
    }
    return value->get<std::string>();
  }

  std::optional<long long> number(const json& object, const std::string& path, const char* key, bool required = false) {
    const json* value = member(object, path, key, required);
    if (value == nullptr) {
      return std::nullopt;
    }
    if (!value->is_number_integer()) {
      fail_at(path + "." + key, "expected a whole number");
      return std::nullopt;
    }
    return value->get<long long>();
  }

  bool flag(const json& object, const std::string& path, const char* key) {
    const json* value = member(object, path, key, false);
    if (value == nullptr) {
      return false;
    }
    if (!value->is_boolean()) {
      fail_at(path + "." + key, "expected true or false");
      return false;
    }
    return value->get<bool>();
  }

  std::vector<std::string> texts(const json& object, const std::string& path, const char* key) {
    std::vector<std::string> items;
    const json* value = member(object, path, key, false);
    if (value == nullptr) {
      return items;
    }
    if (!value->is_array()) {
      fail_at(path + "." + key, "expected a list of strings");
      return items;
    }
    for (const json& item : *value) {
      if (!item.is_string()) {
        fail_at(path + "." + key, "expected a list of strings");
        return items;
      }
      items.push_back(item.get<std::string>());
    }
    return items;
  }

  std::optional<TimePoint> time(const json& object, const std::string& path, const char* key, bool required) {
    const std::string value = text(object, path, key, required);
    if (value.empty()) {
      return std::nullopt;
    }
    auto parsed = base::parse_iso8601(value);
    if (!parsed) {
      fail_at(path + "." + key, fmt::format("expected an ISO 8601 time, not {}", quote(value, 40)));
    }
    return parsed;
  }

  const json* object(const json& parent, const std::string& path, const char* key) {
    const json* value = member(parent, path, key, false);
    if (value != nullptr && !value->is_object()) {
      fail_at(path + "." + key, "expected an object");
      return nullptr;
    }
    return value;
  }

  const json* list(const json& parent, const std::string& path, const char* key) {
    const json* value = member(parent, path, key, false);
    if (value != nullptr && !value->is_array()) {
      fail_at(path + "." + key, "expected a list");
      return nullptr;
    }
    return value;
  }

 private:
  std::string m_file;
  std::optional<Error> m_error;
};

int small_int(std::optional<long long> value) {
  if (!value || *value < 0 || *value > std::numeric_limits<int>::max()) {
    return 0;
  }
  return static_cast<int>(*value);
}

void read_tls(FieldReader& in, const json& node, const std::string& path, Evidence& evidence) {
  TlsEvidence tls;
  tls.version = in.text(node, path, "version");
  tls.cipher = in.text(node, path, "cipher");
  tls.verify_error = in.text(node, path, "verify_error");
  tls.chain_not_after = in.time(node, path, "chain_not_after", false);
  if (const json* leaf = in.object(node, path, "leaf")) {
    const std::string at = path + ".leaf";
    CertificateInfo info;
    info.subject = in.text(*leaf, at, "subject");
    info.issuer = in.text(*leaf, at, "issuer");
    info.names = in.texts(*leaf, at, "names");
    info.not_before = in.time(*leaf, at, "not_before", false).value_or(TimePoint{});
    info.not_after = in.time(*leaf, at, "not_after", false).value_or(TimePoint{});
    tls.leaf = std::move(info);
  }
  evidence.tls = std::move(tls);
}

void read_dns(FieldReader& in, const json& node, const std::string& path, Evidence& evidence) {
  DnsEvidence dns;
  dns.server = in.text(node, path, "server");
  dns.record = in.text(node, path, "record");
  dns.rcode = in.text(node, path, "rcode");
  if (const json* answers = in.list(node, path, "answers")) {
    for (std::size_t i = 0; i < answers->size(); ++i) {
      const std::string at = fmt::format("{}.answers[{}]", path, i);
      const json& answer = (*answers)[i];
      if (!answer.is_object()) {
        in.fail_at(at, "expected an object");
        return;
      }
      DnsAnswer entry;
      entry.type = in.text(answer, at, "type");
      entry.value = in.text(answer, at, "value");
      entry.ttl = static_cast<std::uint32_t>(small_int(in.number(answer, at, "ttl")));
      dns.answers.push_back(std::move(entry));
    }
  }
  evidence.dns = std::move(dns);
}

void read_evidence(FieldReader& in, const json& node, const std::string& path, CheckResult& result) {
  Evidence& evidence = result.evidence;
  evidence.url = in.text(node, path, "url");
  evidence.addresses = in.texts(node, path, "addresses");
  evidence.connects = in.texts(node, path, "connects");
  evidence.proxy = in.text(node, path, "proxy");
  if (const json* redirects = in.list(node, path, "redirects")) {
    for (std::size_t i = 0; i < redirects->size(); ++i) {
      const std::string at = fmt::format("{}.redirects[{}]", path, i);
      const json& hop = (*redirects)[i];
      if (!hop.is_object()) {
        in.fail_at(at, "expected an object");
        return;
      }
      evidence.redirects.push_back(
          {small_int(in.number(hop, at, "status")), in.text(hop, at, "from"), in.text(hop, at, "location")});
    }
  }
  if (const auto status = in.number(node, path, "status")) {
    evidence.status = small_int(status);
  }
  evidence.response_time = Millis(std::max(0LL, in.number(node, path, "response_time_ms").value_or(0)));
  if (const json* headers = in.list(node, path, "headers")) {
    for (std::size_t i = 0; i < headers->size(); ++i) {
      const json& header = (*headers)[i];
      if (!header.is_array() || header.size() != 2 || !header[0].is_string() || !header[1].is_string()) {
        in.fail_at(fmt::format("{}.headers[{}]", path, i), "expected [name, value]");
        return;
      }
      evidence.headers.emplace_back(to_lower(header[0].get<std::string>()), header[1].get<std::string>());
    }
  }
  evidence.body = in.text(node, path, "body");
  evidence.body_truncated = in.flag(node, path, "body_truncated");
  const std::string failure = in.text(node, path, "failure");
  bool known = failure.empty();
  for (const TransportFailure kind : k_failures) {
    if (failure == to_string(kind)) {
      evidence.failure = kind;
      known = true;
    }
  }
  if (!known) {
    in.fail_at(path + ".failure", fmt::format("unknown failure kind {}", quote(failure, 40)));
  }
  const std::string phase = in.text(node, path, "failure_phase");
  for (const auto& [value, name] : k_phases) {
    if (phase == name) {
      evidence.failure_phase = value;
    }
  }
  evidence.error = in.text(node, path, "error");
  if (const json* tls = in.object(node, path, "tls")) {
    read_tls(in, *tls, path + ".tls", evidence);
  }
  if (const json* dns = in.object(node, path, "dns")) {
    read_dns(in, *dns, path + ".dns", evidence);
  }
  if (const json* failed = in.list(node, path, "failed")) {
    for (std::size_t i = 0; i < failed->size(); ++i) {
      const std::string at = fmt::format("{}.failed[{}]", path, i);
      const json& entry = (*failed)[i];
      if (!entry.is_object()) {
        in.fail_at(at, "expected an object");
        return;
      }
      result.failed.push_back({in.text(entry, at, "key", true), in.text(entry, at, "message", true)});
    }
  }
}

}  // namespace

json evidence_json(const CheckResult& result, const Redactor& secrets) {
  const Evidence& evidence = result.evidence;
  json redirects = json::array();
  for (const RedirectHop& hop : evidence.redirects) {
    redirects.push_back(
        {{"status", hop.status}, {"from", secrets.apply(hop.from)}, {"location", secrets.apply(hop.location)}});
  }
  json headers = json::array();
  for (const auto& [name, value] : evidence.headers) {
    headers.push_back(json::array({name, secrets.apply(value)}));
  }
  // Redacted before it is cut, so a secret across the cut is still found whole.
  const std::string body = secrets.apply(evidence.body);
  const std::string_view kept = utf8_prefix(body, k_vantage_body_bytes);
  json failed = json::array();
  for (const FailedExpectation& expectation : result.failed) {
    failed.push_back({{"key", secrets.apply(expectation.key)}, {"message", secrets.apply(expectation.message)}});
  }
  json out = {{"url", secrets.apply(evidence.url)},
              {"addresses", string_list(evidence.addresses, secrets)},
              {"connects", string_list(evidence.connects, secrets)},
              {"proxy", secrets.apply(evidence.proxy)},
              {"redirects", std::move(redirects)},
              {"status", evidence.status ? json(*evidence.status) : json(nullptr)},
              {"response_time_ms", evidence.response_time.count()},
              {"headers", std::move(headers)},
              {"body", std::string(kept)},
              {"body_truncated", evidence.body_truncated || kept.size() < body.size()},
              {"failure", to_string(evidence.failure)},
              {"failure_phase", phase_name(evidence.failure_phase)},
              {"error", secrets.apply(evidence.error)},
              {"failed", std::move(failed)}};
  if (evidence.tls) {
    const TlsEvidence& tls = *evidence.tls;
    json node = {{"version", tls.version},
                 {"cipher", tls.cipher},
                 {"verify_error", secrets.apply(tls.verify_error)},
                 {"chain_not_after", time_or_null(tls.chain_not_after)}};
    if (tls.leaf) {
      node["leaf"] = {{"subject", secrets.apply(tls.leaf->subject)},
                      {"issuer", secrets.apply(tls.leaf->issuer)},
                      {"names", string_list(tls.leaf->names, secrets)},
                      {"not_before", format_timestamp(tls.leaf->not_before)},
                      {"not_after", format_timestamp(tls.leaf->not_after)}};
    }
    out["tls"] = std::move(node);
  }
  if (evidence.dns) {
    json answers = json::array();
    for (const DnsAnswer& answer : evidence.dns->answers) {
      answers.push_back({{"type", answer.type}, {"value", secrets.apply(answer.value)}, {"ttl", answer.ttl}});
    }
    out["dns"] = {{"server", secrets.apply(evidence.dns->server)},
                  {"record", evidence.dns->record},
                  {"rcode", evidence.dns->rcode},
                  {"answers", std::move(answers)}};
  }
  return out;
}

Expected<VantageReport> parse_vantage_report(std::string_view text, const std::string& file) {
  json root;
  try {
    root = json::parse(text);
  } catch (const json::parse_error& error) {
    return fail(
        fmt::format("{}: not a JSON report (byte {}): write it with probewatch check --vantage NAME "
                    "--report FILE",
                    file, error.byte));
  }
  if (!root.is_object()) {
    return fail(fmt::format("{}: not a probewatch report (expected a JSON object)", file));
  }
  FieldReader in(file);
  VantageReport report;
  report.file = file;
  const auto version = in.number(root, "report", "version", true);
  if (version && *version != 1) {
    return fail(
        fmt::format("{}: report version {} is not supported (this probewatch reads version 1)", file, *version));
  }
  if (!in.error() && root.find("vantage") == root.end()) {
    return fail(
        fmt::format("{}: no \"vantage\" field: it is not a vantage report; write it with probewatch check "
                    "--vantage NAME --report FILE",
                    file));
  }
  report.vantage = in.text(root, "report", "vantage", true);
  const std::string network = in.text(root, "report", "vantage_network");
  if (!network.empty()) {
    if (auto parsed = parse_vantage_network(network)) {
      report.network = *parsed;
    } else {
      in.fail_at("report.vantage_network", fmt::format("expected inside or outside, not {}", quote(network, 40)));
    }
  }
  report.generated_at = in.time(root, "report", "generated_at", true).value_or(TimePoint{});
  const json* checks = in.member(root, "report", "checks", true);
  if (checks != nullptr && !checks->is_array()) {
    in.fail_at("report.checks", "expected a list");
    checks = nullptr;
  }
  for (std::size_t i = 0; checks != nullptr && i < checks->size() && !in.error(); ++i) {
    const std::string path = fmt::format("checks[{}]", i);
    const json& entry = (*checks)[i];
    if (!entry.is_object()) {
      in.fail_at(path, "expected an object");
      break;
    }
    CheckResult result;
    result.id = in.text(entry, path, "id", true);
    const json* ok = in.member(entry, path, "ok", true);
    if (ok != nullptr && !ok->is_boolean()) {
      in.fail_at(path + ".ok", "expected true or false");
    }
    result.ok = ok != nullptr && ok->is_boolean() && ok->get<bool>();
    result.attempts = small_int(in.number(entry, path, "attempts"));
    result.degraded = in.flag(entry, path, "degraded");
    result.degraded_reason = in.text(entry, path, "degraded_reason");
    const json* evidence = in.object(entry, path, "evidence");
    if (evidence == nullptr && !in.error()) {
      in.fail_at(path, "no \"evidence\": write vantage reports with probewatch check --vantage NAME");
      break;
    }
    if (evidence != nullptr) {
      read_evidence(in, *evidence, path + ".evidence", result);
    }
    if (const json* hints = in.list(entry, path, "hints"); hints != nullptr && !hints->empty()) {
      const json& first = hints->front();
      if (first.is_object()) {
        report.hints[result.id] = in.text(first, path + ".hints[0]", "title");
      }
    }
    if (!in.error() && !report.results.emplace(result.id, result).second) {
      in.fail_at(path, fmt::format("check \"{}\" appears twice", result.id));
    }
  }
  if (in.error()) {
    return std::unexpected(*in.error());
  }
  return report;
}

}  // namespace pw
