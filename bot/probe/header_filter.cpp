#include <bot/probe/header_filter.hpp>

#include <bot/core/text.hpp>

#include <algorithm>
#include <array>

namespace pw {

namespace {

constexpr std::array<std::string_view, 16> k_exact = {
    "server",           "via",         "content-type",   "location",   "retry-after",      "x-request-id", "cf-ray",
    "cf-cache-status",  "age",         "fly-request-id", "akamai-grn", "x-correlation-id", "traceparent",  "x-trace-id",
    "x-amzn-requestid", "x-azure-ref",
};

// An x-* header whose name contains one of these names a proxy, CDN, edge or request id.
constexpr std::array<std::string_view, 17> k_x_words = {
    "cache",   "cdn",   "edge",   "proxy",  "served", "varnish", "envoy",   "upstream", "backend",
    "request", "trace", "amz-cf", "akamai", "fastly", "vercel",  "netlify", "github",
};

}  // namespace

bool is_evidence_header(std::string_view name) {
  if (std::find(k_exact.begin(), k_exact.end(), name) != k_exact.end()) {
    return true;
  }
  if (!name.starts_with("x-")) {
    return false;
  }
  return std::any_of(k_x_words.begin(), k_x_words.end(),
                     [&](std::string_view word) { return name.find(word) != std::string_view::npos; });
}

HeaderKeeper::HeaderKeeper(std::vector<std::string> named)
    : m_named(std::move(named)), m_named_seen(m_named.size(), false) {}

void HeaderKeeper::offer(std::string_view name, std::string_view value) {
  if (name.size() > k_max_value) {
    return;
  }
  std::string lower = to_lower(name);
  bool keep = false;
  for (std::size_t i = 0; i < m_named.size(); ++i) {
    if (m_named[i] == lower && !m_named_seen[i]) {
      m_named_seen[i] = true;
      keep = true;
    }
  }
  if (!keep && m_general < k_max_kept && is_evidence_header(lower)) {
    ++m_general;
    keep = true;
  }
  if (keep) {
    m_kept.emplace_back(std::move(lower), std::string(utf8_prefix(value, k_max_value)));
  }
}

std::vector<std::pair<std::string, std::string>> HeaderKeeper::take() { return std::move(m_kept); }

}  // namespace pw
