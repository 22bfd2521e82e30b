#include <bot/probe/redirect_follower.hpp>

#include <bot/core/text.hpp>
#include <bot/probe/failure_text.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <set>

namespace pw {

namespace {

bool is_body_header(std::string_view name) {
  return iequals(name, "content-type") || iequals(name, "content-length") || iequals(name, "content-encoding");
}

bool same_origin(const Url& a, const Url& b) { return a.scheme == b.scheme && a.host == b.host && a.port == b.port; }

void take_hop(Evidence& evidence, HopResult&& hop) {
  evidence.addresses = std::move(hop.addresses);
  evidence.connects = std::move(hop.connects);
  evidence.proxy = std::move(hop.proxy);
  evidence.status = hop.status;
  evidence.headers = std::move(hop.headers);
  evidence.body = std::move(hop.body);
  evidence.body_truncated = hop.body_truncated;
  evidence.tls = std::move(hop.tls);
  evidence.failure = hop.failure;
  evidence.failure_phase = hop.failure_phase;
  evidence.error = std::move(hop.error);
}

}  // namespace

bool is_followed_redirect(int status) {
  return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

Evidence follow_redirects(const Check& check, const HopFunction& hop) {
  Evidence evidence;
  evidence.url = check.url;
  Expected<Url> first = parse_url(check.url);
  if (!first) {
    evidence.failure = TransportFailure::invalid_url;
    evidence.error = first.error().message;
    return evidence;
  }
  HopRequest request{*first, check.method, check.body, check.headers, check.follow_redirects};
  std::set<std::string> visited{request.url.to_string()};
  for (;;) {
    evidence.url = request.url.to_string();
    HopResult result = hop(request);
    std::string location = std::move(result.location);
    take_hop(evidence, std::move(result));
    if (evidence.failure != TransportFailure::none || !check.follow_redirects || !evidence.status ||
        !is_followed_redirect(*evidence.status) || location.empty()) {
      return evidence;
    }
    const int status = *evidence.status;
    Expected<Url> next = resolve_location(request.url, location);
    if (!next) {
      evidence.failure = TransportFailure::other;
      evidence.failure_phase = Phase::headers;
      evidence.error =
          fmt::format("redirect {} from {} has an unusable Location: {}", status, evidence.url, next.error().message);
      return evidence;
    }
    const std::string next_text = next->to_string();
    evidence.redirects.push_back({status, evidence.url, next_text});
    if (visited.contains(next_text)) {
      evidence.failure = TransportFailure::redirect_loop;
      evidence.failure_phase = Phase::headers;
      evidence.error = redirect_loop_text(evidence.url, next_text);
      return evidence;
    }
    if (evidence.redirects.size() > k_max_redirects) {
      evidence.failure = TransportFailure::too_many_redirects;
      evidence.failure_phase = Phase::headers;
      evidence.error = too_many_redirects_text(k_max_redirects, next_text);
      return evidence;
    }
    visited.insert(next_text);
    const bool to_get =
        (status == 303 && request.method != "HEAD") || ((status == 301 || status == 302) && request.method == "POST");
    if (to_get) {
      request.method = "GET";
      request.body.reset();
      std::erase_if(request.headers, [](const auto& header) { return is_body_header(header.first); });
    }
    // The config's headers (API keys, tokens, cookies) are meant for the origin they were written
    // for: another origin gets none of them unless the check opts in, and plain http never does.
    // Headers describing a body that travels on (307, 308) stay with it.
    const bool downgrade = request.url.is_https() && !next->is_https();
    if (!same_origin(request.url, *next) && (!check.forward_headers || downgrade)) {
      const bool keep_body_headers = request.body.has_value() && !downgrade;
      std::erase_if(request.headers,
                    [&](const auto& header) { return !(keep_body_headers && is_body_header(header.first)); });
    }
    request.url = std::move(*next);
  }
}

}  // namespace pw
