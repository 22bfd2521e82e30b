#pragma once

#include <bot/config/config.hpp>
#include <bot/model/evidence.hpp>
#include <bot/model/url.hpp>

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace pw {

inline constexpr std::size_t k_max_redirects = 10;

// One request on the way through a redirect chain.
struct HopRequest {
  Url url;
  std::string method;
  std::optional<std::string> body;
  std::vector<std::pair<std::string, std::string>> headers;
  bool skip_redirect_body = false;  // a followed redirect's body is not worth reading
};

// What one request observed. `failure` none means a response (of any status) arrived.
struct HopResult {
  std::vector<std::string> addresses;
  std::vector<std::string> connects;  // each address tried and what happened ("127.0.0.1:80: refused")
  std::string proxy;                  // the proxy the request went through ("" when direct)
  std::optional<int> status;
  std::vector<std::pair<std::string, std::string>> headers;  // kept evidence headers
  std::string location;                                      // raw Location header, if any
  std::string body;
  bool body_truncated = false;
  std::optional<TlsEvidence> tls;
  TransportFailure failure = TransportFailure::none;
  Phase failure_phase = Phase::resolve;
  std::string error;
};

using HopFunction = std::function<HopResult(const HopRequest&)>;

// Returns true for the statuses that redirect with a Location: 301, 302, 303, 307, 308.
bool is_followed_redirect(int status);

// Runs `check` through `hop`, following redirects unless check.follow_redirects is false:
// at most k_max_redirects, a revisited URL is a loop, 303 (and 301/302 after POST) turn
// into GET without a body, and the config's headers are not sent on to another origin (unless
// check.forward_headers) nor ever from https to http. Returns the
// evidence of the last request with the chain recorded; response_time is left to the caller.
Evidence follow_redirects(const Check& check, const HopFunction& hop);

}  // namespace pw
