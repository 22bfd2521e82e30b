#include <bot/diagnose/diagnose.hpp>

#include <bot/core/text.hpp>
#include <bot/model/url.hpp>

#include <fmt/format.h>

#include <optional>

namespace pw {

namespace {

using Rule = std::optional<Hint> (*)(const DiagnosisInput&);

// Evidence quoted in a hint shows at most this many bytes.
constexpr std::size_t k_hint_quote_bytes = 100;

const std::string* header(const Evidence& evidence, std::string_view name) { return evidence.header(name); }

std::string path_of(const std::string& url) {
  auto parsed = parse_url(url);
  return parsed ? parsed->target : url;
}

// The host a hint names: host[:port] of an http(s) URL, HOST:PORT of tcp:// and tls://, NAME of dns://.
std::string shown_host(const std::string& url) {
  if (!is_socket_url(url)) {
    return host_of(url);
  }
  auto socket = parse_socket_url(url);
  if (!socket) {
    return "";
  }
  if (socket->scheme == "dns") {
    return socket->host;
  }
  return (socket->host.find(':') != std::string::npos ? "[" + socket->host + "]" : socket->host) + ":" +
         std::to_string(socket->port);
}

bool is_json_expected(const Check& check) {
  if (!check.expect.json.empty()) {
    return true;
  }
  for (const HeaderExpectation& expectation : check.expect.headers) {
    if (expectation.name == "content-type" && expectation.pattern &&
        expectation.pattern->pattern().find("json") != std::string::npos) {
      return true;
    }
  }
  return false;
}

bool looks_like_login(std::string_view url) {
  const std::string lowered = to_lower(url);
  for (const char* word : {"/login", "/signin", "/sign-in", "/sign_in", "/auth", "/sso", "/oauth", "/saml",
                           "/session/new", "/account/login", "/users/sign_in"}) {
    if (lowered.find(word) != std::string::npos) {
      return true;
    }
  }
  return false;
}

std::optional<Hint> dns_rule(const DiagnosisInput& in) {
  if (in.result.evidence.failure != TransportFailure::dns) {
    return std::nullopt;
  }
  return Hint{"dns", "the name does not resolve",
              fmt::format("The host {} has no DNS record the runner can see: a typo, a deleted record, or a "
                          "private name that only resolves inside a network.",
                          shown_host(in.check.url)),
              in.result.evidence.error};
}

// dns:// checks: a response code other than the expected one.
std::optional<Hint> dns_rcode_rule(const DiagnosisInput& in) {
  const Evidence& evidence = in.result.evidence;
  if (!evidence.dns) {
    return std::nullopt;
  }
  for (const FailedExpectation& failed : in.result.failed) {
    if (failed.key == "rcode:NXDOMAIN") {
      return Hint{"dns-nxdomain", "the name does not exist",
                  fmt::format("The server {} says {} does not exist (NXDOMAIN): a typo, a deleted record, or a zone "
                              "that is not delegated.",
                              evidence.dns->server, shown_host(in.check.url)),
                  failed.message};
    }
    if (failed.key == "rcode:SERVFAIL") {
      return Hint{"dns-servfail", "the DNS server could not resolve the name",
                  "The server failed on this name (SERVFAIL): a broken DNSSEC chain, unreachable authoritative "
                  "servers, or a lame delegation.",
                  failed.message};
    }
  }
  return std::nullopt;
}

std::optional<Hint> refused_rule(const DiagnosisInput& in) {
  if (in.result.evidence.failure != TransportFailure::refused) {
    return std::nullopt;
  }
  return Hint{"refused", "nothing is listening",
              "The host answered but refused the connection: the service is stopped, crashed, or listens on "
              "another port.",
              in.result.evidence.error};
}

std::optional<Hint> tls_rule(const DiagnosisInput& in) {
  const Evidence& evidence = in.result.evidence;
  if (evidence.failure != TransportFailure::tls) {
    return std::nullopt;
  }
  // The check's own ca_file could not be loaded (TrustStores::get): no handshake took place, and
  // the error already says what to fix.
  if (evidence.error.starts_with("cannot use ca_file ")) {
    return std::nullopt;
  }
  const std::string reason =
      evidence.tls && !evidence.tls->verify_error.empty() ? evidence.tls->verify_error : evidence.error;
  if (reason.find("expired") != std::string::npos) {
    return Hint{"tls-expired", "the TLS certificate has expired",
                "Renew the certificate (or fix the renewal job) on the server or load balancer.", reason};
  }
  if (reason.find(" is for ") != std::string::npos) {
    return Hint{"tls-hostname", "the TLS certificate is for another name",
                "The server presents a certificate that does not cover this host name: a wrong virtual host, a "
                "default certificate, or a missing name on the certificate.",
                reason};
  }
  if (reason.find("unknown CA") != std::string::npos || reason.find("self-signed") != std::string::npos) {
    return Hint{"tls-unknown-ca", "the TLS certificate is signed by an unknown CA",
                "The chain does not lead to a trusted root: a missing intermediate certificate on the server, or a "
                "private CA (set ca_file to trust it).",
                reason};
  }
  return Hint{"tls-handshake", "the TLS handshake failed",
              "The client and server could not agree on TLS: an old protocol or cipher, or plain HTTP on an "
              "https port.",
              reason};
}

std::optional<Hint> timeout_rule(const DiagnosisInput& in) {
  const Evidence& evidence = in.result.evidence;
  if (evidence.failure != TransportFailure::timeout) {
    return std::nullopt;
  }
  switch (evidence.failure_phase) {
    case Phase::resolve:
      return Hint{"timeout-dns", "the DNS lookup timed out", "The runner's resolver did not answer in time.",
                  evidence.error};
    case Phase::connect:
    case Phase::tls:
      return Hint{"timeout-connect", "the host does not accept connections in time",
                  "Nothing answered the connection attempt: a firewall dropping packets, a host that is down, or a "
                  "wrong address.",
                  evidence.error};
    case Phase::write:
    case Phase::headers:
      return Hint{"timeout-headers", "the server accepted the connection but did not answer in time",
                  "The application is overloaded or stuck, or waits on a slow dependency (database, upstream API).",
                  evidence.error};
    case Phase::body:
      return Hint{"timeout-body", "the response body arrives too slowly",
                  "Headers came back, but the body trickled past the deadline: a slow stream, a huge response, or a "
                  "congested link.",
                  evidence.error};
  }
  return std::nullopt;
}

std::optional<Hint> reset_rule(const DiagnosisInput& in) {
  if (in.result.evidence.failure != TransportFailure::reset) {
    return std::nullopt;
  }
  return Hint{"reset", "the connection was dropped",
              "The server or a proxy in front of it closed the connection mid-exchange: a crash, a restart, or a "
              "proxy timeout.",
              in.result.evidence.error};
}

std::optional<Hint> redirect_loop_rule(const DiagnosisInput& in) {
  const TransportFailure failure = in.result.evidence.failure;
  if (failure != TransportFailure::redirect_loop && failure != TransportFailure::too_many_redirects) {
    return std::nullopt;
  }
  return Hint{"redirect-loop", "the redirects never end",
              "Each answer redirects again: often http↔https or www↔apex rules that undo each other, or a proxy that "
              "does not pass on the original scheme.",
              in.result.evidence.error};
}

// A 404 whose headers differ from the service's own healthy responses was probably sent by a
// proxy, CDN or load balancer in front of the application, not by the application.
std::optional<Hint> edge_404_rule(const DiagnosisInput& in) {
  const Evidence& evidence = in.result.evidence;
  if (evidence.failure != TransportFailure::none || evidence.status != 404) {
    return std::nullopt;
  }
  const std::string* server = header(evidence, "server");
  const std::string now = server != nullptr ? *server : "";
  if (!in.healthy.server.empty() && !iequals(now, in.healthy.server)) {
    return Hint{"edge-404", "a 404 the application probably did not send",
                "This 404 carries a different Server header than the service's healthy responses, so something in "
                "front of the application answered: a proxy or CDN route, a missing virtual host, or a stale deploy.",
                fmt::format("server: {} (healthy responses: {})", now.empty() ? "none" : quote(now, k_hint_quote_bytes),
                            quote(in.healthy.server, k_hint_quote_bytes))};
  }
  if (!in.healthy.request_id_header.empty() && header(evidence, in.healthy.request_id_header) == nullptr) {
    return Hint{"edge-404", "a 404 the application probably did not send",
                "The application's healthy responses carry a request id this 404 lacks, so something in front of "
                "the application answered: a proxy or CDN route, a missing virtual host, or a stale deploy.",
                fmt::format("no {} header (healthy responses carry one)", in.healthy.request_id_header)};
  }
  return std::nullopt;
}

// Other checks on the same host pass while the application itself 404s this path: a route or
// path-prefix problem. A 404 that edge-404 attributes to something in front is not the application's.
std::optional<Hint> routing_404_rule(const DiagnosisInput& in) {
  const Evidence& evidence = in.result.evidence;
  if (evidence.failure != TransportFailure::none || evidence.status != 404 || edge_404_rule(in)) {
    return std::nullopt;
  }
  std::string passing;
  for (const auto& [check, result] : in.same_host) {
    if (result->ok) {
      passing += passing.empty() ? "" : ", ";
      passing += check->id;
    }
  }
  if (passing.empty()) {
    return std::nullopt;
  }
  return Hint{"routing-404", "this path is not routed while the host is up",
              "Other checks on the same host pass, so the host and application answer but this path is unknown: a "
              "missing route, a changed path prefix, or a proxy rule that does not forward it.",
              fmt::format("{} 404 while {} on {} pass", path_of(evidence.url.empty() ? in.check.url : evidence.url),
                          passing, host_of(in.check.url))};
}

// Server headers of products that only ever stand in front of an application.
bool proxy_product(std::string_view server) {
  const std::string lowered = to_lower(server);
  for (const char* name : {"envoy", "cloudflare", "awselb", "akamaighost", "varnish", "haproxy", "traefik", "istio",
                           "google frontend", "cloudfront"}) {
    if (lowered.find(name) != std::string::npos) {
      return true;
    }
  }
  return false;
}

// Error pages that proxies and load balancers write themselves.
bool proxy_body(std::string_view body) {
  const std::string lowered = to_lower(body.substr(0, 2048));
  for (const char* sign : {"<center>nginx", "no healthy upstream", "upstream connect error",
                           "no server is available "
                           "to handle this request",
                           "guru meditation", "<address>apache", "bad gateway", "gateway time-out", "gateway timeout",
                           "cloudflare", "awselb"}) {
    if (lowered.find(sign) != std::string::npos) {
      return true;
    }
  }
  return false;
}

// Returns why this answer looks like a proxy's ("" when nothing says so): a Server header unlike the
// healthy responses', a Via header, a proxy product's Server header, or a proxy's own error page.
std::string proxy_evidence(const DiagnosisInput& in) {
  const Evidence& evidence = in.result.evidence;
  const std::string* server = header(evidence, "server");
  const std::string now = server != nullptr ? *server : "";
  const std::string shown = fmt::format("status {}{}", *evidence.status,
                                        server != nullptr ? ", server: " + quote(*server, k_hint_quote_bytes) : "");
  if (!in.healthy.server.empty() && !iequals(now, in.healthy.server)) {
    return fmt::format("{} (healthy responses: {})", shown, quote(in.healthy.server, k_hint_quote_bytes));
  }
  if (const std::string* via = header(evidence, "via")) {
    return fmt::format("{}, via: {}", shown, quote(*via, k_hint_quote_bytes));
  }
  if (proxy_product(now)) {
    return shown;
  }
  if (proxy_body(evidence.body)) {
    return fmt::format("{}, body: {}", shown, quote(trim(evidence.body).substr(0, 60), k_hint_quote_bytes));
  }
  return "";
}

// A 502 or 504 is a gateway's status by definition; a 503 is a proxy's only when the answer says
// so. Otherwise the application itself answered, and the hint says that.
std::optional<Hint> upstream_rule(const DiagnosisInput& in) {
  const Evidence& evidence = in.result.evidence;
  if (evidence.failure != TransportFailure::none || !evidence.status ||
      (*evidence.status != 502 && *evidence.status != 503 && *evidence.status != 504)) {
    return std::nullopt;
  }
  std::string proxy = proxy_evidence(in);
  if (proxy.empty() && *evidence.status != 503) {
    proxy = fmt::format("status {} (a gateway's status)", *evidence.status);
  }
  if (proxy.empty()) {
    const std::string_view body = trim(evidence.body);
    return Hint{"app-unavailable", "the application itself says it is unavailable",
                "Nothing in this 503 points to a proxy (no Via header, a Server header like the healthy responses', "
                "no proxy's error page), so the application sent it: it is overloaded, in maintenance, or a "
                "dependency it needs is down. Its body may say which.",
                body.empty() ? std::string("status 503, empty body")
                             : fmt::format("status 503, body: {}", quote(body.substr(0, 60), k_hint_quote_bytes))};
  }
  const char* what = *evidence.status == 504 ? "did not answer the proxy in time" : "is down or unreachable";
  return Hint{"upstream", fmt::format("the upstream behind a proxy {}", what),
              fmt::format("A {} means a proxy or load balancer answered for an application it could not reach: "
                          "look at the application's health, not the edge.",
                          *evidence.status),
              proxy};
}

std::optional<Hint> login_rule(const DiagnosisInput& in) {
  const Evidence& evidence = in.result.evidence;
  std::string target;
  for (const RedirectHop& hop : evidence.redirects) {
    if (looks_like_login(hop.location)) {
      target = hop.location;
    }
  }
  const std::string* location = header(evidence, "location");
  if (target.empty() && evidence.status && *evidence.status >= 300 && *evidence.status < 400 && location != nullptr &&
      looks_like_login(*location)) {
    target = *location;
  }
  if (target.empty()) {
    return std::nullopt;
  }
  return Hint{"login-redirect", "redirected to a login page",
              "The endpoint now requires signing in: an auth proxy or SSO rule covers this path, or a session "
              "expired. Health endpoints are usually excluded from auth.",
              fmt::format("redirect to {}", sanitize_utf8(utf8_prefix(target, 200)))};
}

// Content-type hints judge the body as well as the header: a JSON body labelled text/html is not a
// web page, and a web page labelled application/json still is one.
std::optional<Hint> html_rule(const DiagnosisInput& in) {
  const Evidence& evidence = in.result.evidence;
  if (evidence.failure != TransportFailure::none || !evidence.status || *evidence.status < 200 ||
      *evidence.status >= 300 || !is_json_expected(in.check) || !evidence.redirects.empty()) {
    return std::nullopt;
  }
  const std::string* type = header(evidence, "content-type");
  const std::string shown_type = type != nullptr ? quote(*type, k_hint_quote_bytes) : "none";
  const std::string_view body = trim(std::string_view(evidence.body).substr(0, 512));
  const std::string start = to_lower(body.substr(0, 16));
  const bool html_body = start.starts_with("<!doctype") || start.starts_with("<html") || start.starts_with("<head") ||
                         start.starts_with("<body") || start.starts_with("<!--");
  const bool json_body = body.starts_with("{") || body.starts_with("[");
  const bool html_type = type != nullptr && to_lower(*type).find("text/html") != std::string::npos;
  if (html_body) {
    return Hint{
        "html-not-json", "HTML where JSON was expected",
        "The server answered with a web page: a single-page app's fallback route, a maintenance page, or an "
        "error page served with status 200.",
        fmt::format("content-type: {}, body starts {}", shown_type, quote(body.substr(0, 40), k_hint_quote_bytes))};
  }
  if (json_body && html_type) {
    return Hint{
        "json-as-html", "JSON labelled as text/html",
        "The body is JSON but its Content-Type says text/html: the application (or a proxy rewriting "
        "headers) sets the wrong type, so clients that go by the header will not parse it.",
        fmt::format("content-type: {}, body starts {}", shown_type, quote(body.substr(0, 40), k_hint_quote_bytes))};
  }
  return std::nullopt;
}

struct RuleEntry {
  const char* id;
  Rule rule;
};

// Every rule, in the order hints are shown.
constexpr RuleEntry k_rules[] = {
    {"dns", dns_rule},
    {"dns-rcode", dns_rcode_rule},
    {"refused", refused_rule},
    {"tls", tls_rule},
    {"timeout", timeout_rule},
    {"reset", reset_rule},
    {"redirect-loop", redirect_loop_rule},
    {"edge-404", edge_404_rule},
    {"routing-404", routing_404_rule},
    {"upstream", upstream_rule},
    {"login", login_rule},
    {"html", html_rule},  // html-not-json and json-as-html
};

}  // namespace

std::vector<Hint> diagnose(const DiagnosisInput& input) {
  std::vector<Hint> hints;
  if (input.result.ok) {
    return hints;
  }
  for (const RuleEntry& entry : k_rules) {
    if (auto hint = entry.rule(input)) {
      hints.push_back(std::move(*hint));
    }
  }
  return hints;
}

}  // namespace pw
