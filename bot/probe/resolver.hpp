#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <vector>

namespace pw {

// What a host name resolved to, or why it did not.
struct Resolution {
  std::vector<std::string> addresses;  // numeric, in getaddrinfo's order, without duplicates
  bool timed_out = false;              // the deadline passed before the resolver answered
  std::string error;                   // the resolver's reason when it failed ("Name or service not known")
  bool ok() const { return !addresses.empty(); }
};

// The blocking lookup itself: getaddrinfo by default; tests substitute one that hangs.
using LookupFn = std::function<Resolution(const std::string& host)>;

// Resolves `host` with getaddrinfo.
Resolution lookup_host(const std::string& host);

// Returns `addresses` with the families taking turns, starting with the first one's (RFC 8305
// section 4: IPv6, IPv4, IPv6, ... when the resolver put IPv6 first), each family's order kept.
std::vector<std::string> interleave_families(const std::vector<std::string>& addresses);

// Resolves `host` to IPv4/IPv6 addresses, waiting no later than `deadline`. An IP literal
// answers at once. A lookup still running at the deadline is abandoned to a detached
// thread, so a hung resolver never holds the caller past its deadline.
Resolution resolve_host(const std::string& host, std::chrono::steady_clock::time_point deadline,
                        const LookupFn& lookup = lookup_host);

}  // namespace pw
