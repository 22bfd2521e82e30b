// The adapter: the only file that includes <httplib.h>. httplib's errors become
// TransportFailure, Phase and plain words here.
#include <bot/probe/httplib_prober.hpp>

#include <bot/core/duration.hpp>
#include <bot/core/text.hpp>
#include <bot/probe/connection_watch.hpp>
#include <bot/probe/deadline_watchdog.hpp>
#include <bot/probe/failure_text.hpp>
#include <bot/probe/header_filter.hpp>
#include <bot/probe/redirect_follower.hpp>
#include <bot/probe/resolver.hpp>
#include <bot/probe/tls_inspector.hpp>
#include <bot/model/url.hpp>

#include <github_client/proxy_tunnel.hpp>

#include <fmt/format.h>
#include <httplib.h>

#include <algorithm>
#include <csignal>
#include <exception>

namespace pw {

namespace {

using SteadyClock = std::chrono::steady_clock;

constexpr std::string_view k_user_agent = "probewatch/0.1";
// httplib's own per-read timeouts are set to the time left; one that fires this close to
// the deadline is the deadline.
constexpr auto k_deadline_slack = std::chrono::milliseconds(25);

void ignore_sigpipe() {
  struct sigaction current {};
  if (::sigaction(SIGPIPE, nullptr, &current) == 0 && current.sa_handler == SIG_DFL) {
    struct sigaction ignore {};
    ignore.sa_handler = SIG_IGN;
    ::sigemptyset(&ignore.sa_mask);
    ::sigaction(SIGPIPE, &ignore, nullptr);
  }
}

std::vector<std::string> named_headers(const Check& check) {
  std::vector<std::string> names;
  for (const HeaderExpectation& expectation : check.expect.headers) {
    names.push_back(to_lower(expectation.name));
  }
  return names;
}

// A header name or value on one line: CR, LF and NUL would let a value forge headers.
std::string one_line(std::string_view text) {
  std::string out(text);
  std::replace_if(
      out.begin(), out.end(), [](char c) { return c == '\r' || c == '\n' || c == '\0'; }, ' ');
  return out;
}

bool has_header(const HopRequest& request, std::string_view name) {
  return std::any_of(request.headers.begin(), request.headers.end(),
                     [&](const auto& header) { return iequals(header.first, name); });
}

// The phase a failed exchange was in, when the watchdog did not record it.
Phase phase_of(httplib::Error error, const ConnectionWatch& watch) {
  if (watch.headers_received()) {
    return Phase::body;
  }
  switch (error) {
    case httplib::Error::Connection:
    case httplib::Error::ConnectionTimeout: return Phase::connect;
    case httplib::Error::SSLConnection:
    case httplib::Error::SSLServerVerification: return Phase::tls;
    case httplib::Error::Write: return Phase::write;
    default: return Phase::headers;
  }
}

}  // namespace

namespace {

// What every attempt shares: the watchdog thread and the loaded trust stores.
struct ProberShared {
  DeadlineWatchdog watchdog;
  TrustStores trust;
  LookupFn lookup = lookup_host;
  ProxySettings proxies;
};

// A proxy, not the target, answered: it refused the request or tunnel, or could not reach the
// target. Returns the text saying so, or "" when the answer is the target's.
std::string proxy_answer_text(const ProxyServer& proxy, const Url& url, const httplib::Response& response,
                              bool tunnel_refused) {
  const std::string target = fmt::format("{}:{}", url.is_ipv6() ? "[" + url.host + "]" : url.host, url.port);
  if (response.status == 407) {
    return fmt::format(
        "the {} refused the request: 407 Proxy Authentication Required; put its credentials in the "
        "proxy URL (http://user:password@host:port)",
        proxy.describe());
  }
  if (tunnel_refused) {
    return fmt::format(
        "the {} refused to open a tunnel (CONNECT) to {}: {}; check which hosts and ports it lets "
        "CONNECT reach, or set NO_PROXY (or proxy: none) for this host",
        proxy.describe(), target, response.status);
  }
  // A proxy adds Via to what it forwards (RFC 9110 section 7.6.3); its own error pages lack it.
  const bool own_error = response.status >= 500 && response.status <= 504 && !response.has_header("Via");
  if (own_error) {
    return fmt::format("the {} answered {} itself: it could not reach {} (the target sent nothing)", proxy.describe(),
                       response.status, target);
  }
  return "";
}

// Happy Eyeballs: an address that has not connected within its share moves on to the next one.
// The share is the check's timeout divided among the addresses, but never below this.
constexpr auto k_min_connect_share = std::chrono::milliseconds(250);

// The body as it arrives: capped, and cancelled at the deadline.
struct BodySink {
  std::size_t cap = 0;
  SteadyClock::time_point deadline;
  std::string body;
  bool truncated = false;
  bool capped = false;  // cancelled because the cap was reached: not a failure
  bool late = false;    // cancelled because the deadline passed
  std::uint64_t received = 0;
  std::optional<std::uint64_t> length;

  bool take(const char* data, std::size_t size, std::uint64_t total) {
    if (total > 0) {
      length = total;
    }
    if (SteadyClock::now() >= deadline) {
      late = true;
      return false;
    }
    received += size;
    const std::size_t room = cap - body.size();
    if (size > room || (size == room && total > cap)) {
      body.append(data, std::min(size, room));
      truncated = true;
      capped = true;
      return false;
    }
    body.append(data, size);
    return true;
  }
};

// One request to one address, under the attempt's deadline; connecting may take `connect_budget`.
// Sets `share_spent` when the address did not connect within that budget, before the deadline.
// With `proxy`, `address` is the proxy's, and the request goes through it.
HopResult exchange_with(ProberShared& shared, const Check& check, const HopRequest& request, const std::string& address,
                        X509_STORE* store, SteadyClock::time_point deadline, std::chrono::microseconds connect_budget,
                        bool& share_spent, const ProxyServer* proxy = nullptr) {
  HopResult out;
  const Url& url = request.url;
  const std::string endpoint = proxy != nullptr ? proxy->describe() : format_endpoint(address, url.port);
  const auto remaining = std::chrono::duration_cast<std::chrono::microseconds>(deadline - SteadyClock::now());
  if (remaining.count() <= 0) {
    out.failure = TransportFailure::timeout;
    out.failure_phase = Phase::connect;
    out.error = timeout_text(check.timeout, Phase::connect);
    return out;
  }

  if (proxy != nullptr && url.is_https()) {
    // Asked first on a connection of our own: httplib 0.11 deadlocks on a refused CONNECT.
    const github::TunnelAnswer tunnel =
        github::ask_for_tunnel(address, proxy->port, url.host, url.port, proxy->username, proxy->password, deadline);
    if (tunnel.outcome != github::TunnelAnswer::Outcome::answered || tunnel.status != 200) {
      out.failure_phase = Phase::connect;
      if (tunnel.outcome == github::TunnelAnswer::Outcome::answered) {
        httplib::Response refusal;
        refusal.status = tunnel.status;
        out.status = tunnel.status;
        out.failure = TransportFailure::other;
        out.error = proxy_answer_text(*proxy, url, refusal, true);
      } else if (tunnel.outcome == github::TunnelAnswer::Outcome::refused) {
        out.failure = TransportFailure::refused;
        out.error = refused_text({endpoint});
      } else if (tunnel.outcome == github::TunnelAnswer::Outcome::timeout) {
        out.failure = TransportFailure::timeout;
        out.error = timeout_text(check.timeout, Phase::connect);
      } else {
        out.failure = TransportFailure::other;
        out.error = fmt::format("the {} gave no usable answer to CONNECT: {}", proxy->describe(), tunnel.error);
      }
      return out;
    }
  }
  ConnectionWatch watch(url.is_https());
  TlsObservation tls;
  tls.host = url.host;
  tls.insecure = check.insecure;
  tls.watch = &watch;
  std::unique_ptr<httplib::ClientImpl> client;
  if (url.is_https()) {
    auto secure = std::make_unique<httplib::SSLClient>(url.host, url.port);
    if (!secure->is_valid()) {
      out.failure = TransportFailure::tls;
      out.failure_phase = Phase::tls;
      out.error = "could not set up TLS (OpenSSL context)";
      return out;
    }
    // OpenSSL verifies against the shared store (see prepare_tls); httplib's own check
    // would load the system store again for every connection.
    secure->enable_server_certificate_verification(false);
    prepare_tls(secure->ssl_context(), store, tls);
    client = std::move(secure);
  } else {
    client = std::make_unique<httplib::ClientImpl>(url.host, url.port);
  }
  if (proxy != nullptr) {
    client->set_proxy(address, proxy->port);
    if (!proxy->username.empty()) {
      client->set_proxy_basic_auth(proxy->username, proxy->password);
    }
  } else {
    client->set_hostname_addr_map({{url.host, address}});
  }
  client->set_tcp_nodelay(true);
  client->set_keep_alive(false);
  client->set_follow_location(false);
  client->set_url_encode(false);
  client->set_connection_timeout(std::min(remaining, connect_budget));
  client->set_read_timeout(remaining);
  client->set_write_timeout(remaining);
  client->set_socket_options([&watch](socket_t fd) { watch.attach(fd); });

  httplib::Request req;
  req.method = one_line(request.method);
  req.path = url.target;
  for (const auto& [name, value] : request.headers) {
    req.headers.emplace(one_line(name), one_line(value));
  }
  if (!has_header(request, "user-agent")) {
    req.headers.emplace("User-Agent", std::string(k_user_agent));
  }
  if (request.body) {
    req.body = *request.body;
  }
  bool redirect_skipped = false;
  req.response_handler = [&](const httplib::Response& response) {
    watch.mark_headers();
    if (request.skip_redirect_body && is_followed_redirect(response.status) && response.has_header("Location")) {
      redirect_skipped = true;
      return false;
    }
    return true;
  };
  BodySink sink{check.max_body_bytes, deadline};
  req.content_receiver = [&sink](const char* data, std::size_t size, std::uint64_t, std::uint64_t total) {
    return sink.take(data, size, total);
  };

  httplib::Response response;
  httplib::Error error = httplib::Error::Success;
  bool ok = false;
  clear_tls_errors();
  try {
    const ScopedDeadline armed(shared.watchdog, deadline, [&watch] { watch.expire(); });
    ok = client->send(req, response, error);
  } catch (const std::exception& thrown) {
    watch.release();
    out.failure = TransportFailure::other;
    out.failure_phase = phase_of(httplib::Error::Unknown, watch);
    out.error = fmt::format("the HTTP client failed on the response from {}: {}", endpoint, thrown.what());
    return out;
  }
  watch.release();

  if (url.is_https() && (tls.captured || !tls.evidence.version.empty())) {
    out.tls = tls.evidence;
  }
  const bool answered = ok || (error == httplib::Error::Canceled && (sink.capped || redirect_skipped));
  if (proxy != nullptr) {
    // Plain http goes to the proxy itself, which may answer in the target's place. (https answers
    // come through the tunnel from the target; a refused CONNECT was caught before.)
    std::string text = !url.is_https() && answered ? proxy_answer_text(*proxy, url, response, false) : "";
    if (!text.empty()) {
      out.status = response.status;
      out.failure = TransportFailure::other;
      out.failure_phase = Phase::connect;
      out.error = std::move(text);
      return out;
    }
  }
  const bool headers_seen = answered || watch.headers_received();
  if (headers_seen) {
    out.status = response.status;
    HeaderKeeper keeper(named_headers(check));
    for (const auto& [name, value] : response.headers) {
      keeper.offer(name, value);
    }
    out.headers = keeper.take();
    out.location = response.get_header_value("Location");
    out.body = std::move(sink.body);
    out.body_truncated = sink.truncated;
  }
  if (answered) {
    return out;
  }
  // Past this point no complete response arrived; status and headers, when seen, stay as
  // evidence of how far the exchange got.
  if (watch.expired() || sink.late || SteadyClock::now() + k_deadline_slack >= deadline) {
    out.failure = TransportFailure::timeout;
    out.failure_phase = watch.expired() ? watch.expired_phase() : phase_of(error, watch);
    out.error = timeout_text(check.timeout, out.failure_phase);
    return out;
  }
  out.failure_phase = phase_of(error, watch);
  switch (error) {
    case httplib::Error::Connection:
      out.failure = TransportFailure::refused;
      out.error = refused_text({endpoint});
      break;
    case httplib::Error::ConnectionTimeout:
      // Not the deadline: this address's share of it.
      share_spent = true;
      out.failure = TransportFailure::timeout;
      out.error = fmt::format("no answer from {} within {} while connecting", endpoint,
                              format_duration(std::chrono::duration_cast<Millis>(connect_budget)));
      break;
    case httplib::Error::SSLConnection:
    case httplib::Error::SSLServerVerification:
    case httplib::Error::SSLLoadingCerts:
      out.failure = TransportFailure::tls;
      out.error = handshake_failure_text(tls, endpoint);
      break;
    case httplib::Error::Read:
    case httplib::Error::Write:
      out.failure = TransportFailure::reset;
      out.error = dropped_text(endpoint, out.failure_phase, sink.received, sink.length);
      break;
    case httplib::Error::Compression:
      out.failure = TransportFailure::other;
      out.error = fmt::format("could not decompress the body from {} (content-encoding {})", endpoint,
                              sanitize_utf8(utf8_prefix(response.get_header_value("Content-Encoding"), 64)));
      break;
    default:
      out.failure = TransportFailure::other;
      out.error = fmt::format("request to {} failed: {}", endpoint, httplib::to_string(error));
      break;
  }
  return out;
}

// One request: resolve the name, then try each address (families taking turns) until one
// connects; refused and unanswered addresses move on to the next, each but the last within a
// share of the check's timeout. out.connects says what happened at each address tried.
HopResult exchange(ProberShared& shared, const Check& check, const HopRequest& request,
                   SteadyClock::time_point deadline) {
  HopResult out;
  const auto proxy = shared.proxies.for_url(request.url, check.proxy);
  if (!proxy) {
    out.failure = TransportFailure::other;
    out.failure_phase = Phase::connect;
    out.error = proxy.error().message;
    return out;
  }
  // The proxy resolves the target; we resolve only the proxy.
  const std::string& host = *proxy ? (*proxy)->host : request.url.host;
  const Resolution resolution = resolve_host(host, deadline, shared.lookup);
  if (resolution.timed_out) {
    out.failure = TransportFailure::timeout;
    out.failure_phase = Phase::resolve;
    out.error = timeout_text(check.timeout, Phase::resolve);
    return out;
  }
  if (!resolution.ok()) {
    out.failure = TransportFailure::dns;
    out.failure_phase = Phase::resolve;
    out.error = dns_failure_text(host, resolution.error);
    if (*proxy) {
      out.error += fmt::format(" (the {})", (*proxy)->describe());
    }
    return out;
  }
  X509_STORE* store = nullptr;
  if (request.url.is_https()) {
    Expected<X509_STORE*> trusted = shared.trust.get(check.ca_file);
    if (!trusted) {
      out.addresses = resolution.addresses;
      out.failure = TransportFailure::tls;
      out.failure_phase = Phase::tls;
      out.error = trusted.error().message;
      return out;
    }
    store = *trusted;
  }
  const std::vector<std::string> addresses = interleave_families(resolution.addresses);
  std::vector<std::string> refused;
  std::vector<std::string> connects;
  for (std::size_t i = 0; i < addresses.size(); ++i) {
    const std::string endpoint = format_endpoint(addresses[i], request.url.port);
    const bool last = i + 1 == addresses.size();
    const auto time_left = std::chrono::duration_cast<std::chrono::microseconds>(deadline - SteadyClock::now());
    // Each address but the last has an equal share of the check's timeout; the last has what is left.
    const auto share =
        std::max<std::chrono::milliseconds>(k_min_connect_share, check.timeout / static_cast<long>(addresses.size()));
    const auto budget = last ? time_left : std::min<std::chrono::microseconds>(time_left, share);
    bool unanswered = false;
    out = exchange_with(shared, check, request, addresses[i], store, deadline, budget, unanswered,
                        *proxy ? &**proxy : nullptr);
    out.addresses = resolution.addresses;
    if (*proxy) {
      out.proxy = (*proxy)->describe();
    }
    if (out.failure == TransportFailure::refused) {
      connects.push_back(endpoint + ": refused");
      refused.push_back(endpoint);
      out.error = refused_text(refused);
    } else if (unanswered) {
      connects.push_back(fmt::format("{}: no answer within {}", endpoint, format_duration(share)));
    } else {
      connects.push_back(out.failure == TransportFailure::timeout && out.failure_phase == Phase::connect
                             ? endpoint + ": no answer by the deadline"
                             : endpoint + ": connected");
      break;
    }
  }
  out.connects = std::move(connects);
  return out;
}

}  // namespace

struct HttplibProber::Shared : ProberShared {};

HttplibProber::HttplibProber(ProberOptions options) : m_shared(std::make_unique<Shared>()) {
  m_shared->lookup = std::move(options.lookup);
  m_shared->proxies = std::move(options.proxies);
  ignore_sigpipe();
}

HttplibProber::~HttplibProber() = default;

Evidence HttplibProber::attempt(const Check& check) {
  // Loading the CA store is local work, not the endpoint's time: it happens once, before the
  // first HTTPS check's clock starts. A store that cannot load is reported by the exchange.
  if (const Expected<Url> url = parse_url(check.url); url && url->is_https()) {
    (void)m_shared->trust.get(check.ca_file);
  }
  const auto start = SteadyClock::now();
  const auto deadline = start + check.timeout;
  Evidence evidence =
      follow_redirects(check, [&](const HopRequest& request) { return exchange(*m_shared, check, request, deadline); });
  evidence.response_time = std::chrono::duration_cast<Millis>(SteadyClock::now() - start);
  return evidence;
}

}  // namespace pw
