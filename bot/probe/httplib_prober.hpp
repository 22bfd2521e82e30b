#pragma once

#include <bot/probe/prober.hpp>
#include <bot/probe/resolver.hpp>

#include <memory>

namespace pw {

// The real Prober: cpp-httplib over OpenSSL. Each attempt runs under one total deadline
// (resolve, connect, TLS, request, headers and body together), enforced by a shared
// watchdog thread; redirects are followed here so the chain is recorded; TLS is verified
// against the system CA store (or the check's ca_file) with certificate evidence kept. A name
// with several addresses is tried address by address, families taking turns, each but the
// last getting a share of the time left to connect (Happy Eyeballs style).
// Constructing one sets SIGPIPE to ignored when it was left at its default: a peer that
// resets a connection must not end the process.
class HttplibProber final : public Prober {
 public:
  // `lookup` resolves host names (getaddrinfo; tests inject the addresses a name resolves to).
  explicit HttplibProber(LookupFn lookup = lookup_host);
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
