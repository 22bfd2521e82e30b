#pragma once

#include <bot/core/clock.hpp>
#include <bot/core/duration.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace pw {

// Why no usable response arrived. `none` means a response (of any status) was read.
enum class TransportFailure {
  none,
  invalid_url,         // the URL could not be parsed or has an unsupported scheme
  dns,                 // the host name does not resolve
  refused,             // nothing is listening on the port
  tls,                 // handshake or certificate verification failed
  timeout,             // the check's total deadline passed (see `failure_phase`)
  reset,               // the peer reset or closed the connection mid-exchange
  too_many_redirects,  // more than 10 redirects
  redirect_loop,       // a redirect led back to a URL already visited
  other,
};

// Where in the exchange the attempt was when it failed or timed out.
enum class Phase { resolve, connect, tls, write, headers, body };

// Returns "dns", "refused", "tls", "timeout", ... (stable names used in reports and markers).
const char* to_string(TransportFailure failure);
// Returns "resolving the name", "connecting", "the TLS handshake", "sending the request",
// "waiting for response headers", "reading the body".
const char* describe(Phase phase);

struct CertificateInfo {
  std::string subject;  // e.g. "CN=api.example.com"
  std::string issuer;
  std::vector<std::string> names;  // subjectAltName DNS/IP entries
  TimePoint not_before;
  TimePoint not_after;
};

struct TlsEvidence {
  std::string version;  // "TLSv1.3"
  std::optional<CertificateInfo> leaf;
  std::optional<TimePoint> chain_not_after;  // earliest not-after over the chain presented
  std::string verify_error;                  // OpenSSL's reason when verification failed
  std::string cipher;                        // the negotiated cipher suite (tls:// checks)
};

// One record of a DNS answer, its value as text ("192.0.2.1", "10 mail.example.com").
struct DnsAnswer {
  std::string type;  // "A", "MX", ...
  std::string value;
  std::uint32_t ttl = 0;
};

// What a DNS server answered for a dns:// check.
struct DnsEvidence {
  std::string server;  // "127.0.0.1:53", the server that answered
  std::string record;  // the type asked for
  std::string rcode;   // "NOERROR", "NXDOMAIN", "SERVFAIL", ...
  std::vector<DnsAnswer> answers;
};

struct RedirectHop {
  int status = 0;
  std::string from;      // the URL that answered with a redirect
  std::string location;  // the Location it pointed to, resolved to an absolute URL
};

// Everything observed during one attempt at a check.
struct Evidence {
  std::string url;                     // the last URL requested
  std::vector<std::string> addresses;  // what the host name resolved to
  std::vector<std::string> connects;   // each address tried and what happened
  std::string proxy;                   // "proxy 127.0.0.1:3128 (from HTTPS_PROXY)"; "" when direct
  std::vector<RedirectHop> redirects;  // in order
  std::optional<int> status;           // absent when no response arrived
  Millis response_time{0};             // from start to the end of the body (or failure)
  std::vector<std::pair<std::string, std::string>> headers;  // kept headers, names lower-case
  std::string body;                                          // what was read, up to the check's max_body_bytes
  bool body_truncated = false;                               // the body was longer than what was read
  std::optional<TlsEvidence> tls;
  std::optional<DnsEvidence> dns;  // dns:// checks
  TransportFailure failure = TransportFailure::none;
  Phase failure_phase = Phase::resolve;
  std::string error;  // the failure in plain words; empty when none

  // Returns the first kept header named `name` (lower-case), if any.
  const std::string* header(std::string_view name) const;
};

}  // namespace pw
