#pragma once

#include <bot/model/proxy.hpp>
#include <bot/probe/prober.hpp>
#include <bot/probe/resolver.hpp>

#include <memory>

namespace pw {

// The real Prober: cpp-httplib over OpenSSL. Each attempt runs under one total deadline
// (resolve, connect, TLS, request, headers and body together), enforced by a shared
// watchdog thread; redirects are followed here so the chain is recorded; TLS is verified
// against the system CA store (or the check's ca_file) with certificate evidence kept. A name
// with several addresses is tried address by address, families taking turns, each but the
// last getting a share of the time left to connect (Happy Eyeballs style). Through a proxy,
// the evidence says when the proxy rather than the target answered (407, a refused CONNECT,
// its own 502).
// Constructing one sets SIGPIPE to ignored when it was left at its default: a peer that
// resets a connection must not end the process.
// What the real prober takes from outside.
struct ProberOptions {
  LookupFn lookup = lookup_host;  // resolves host names (tests inject the addresses a name has)
  ProxySettings proxies;          // from the environment; a check's proxy: overrides them
};

class HttplibProber final : public Prober {
 public:
  explicit HttplibProber(ProberOptions options = {});
  ~HttplibProber() override;
  HttplibProber(const HttplibProber&) = delete;
  HttplibProber& operator=(const HttplibProber&) = delete;

  // Makes one attempt at `check` within check.timeout; see Prober::attempt. Thread-safe.
  Evidence attempt(const Check& check) override;

 private:
  struct Shared;
  std::unique_ptr<Shared> m_shared;
};

}  // namespace pw
