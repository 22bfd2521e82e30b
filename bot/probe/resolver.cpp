#include <bot/probe/resolver.hpp>

#include <arpa/inet.h>
#include <netdb.h>
#include <sys/socket.h>

#include <algorithm>
#include <array>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <system_error>
#include <thread>

namespace pw {

namespace {

constexpr std::size_t k_max_addresses = 16;

// Shared between the caller and the lookup thread; whoever finishes last frees it.
struct PendingLookup {
  std::mutex mutex;
  std::condition_variable done_cv;
  bool done = false;
  Resolution result;
};

bool is_ip_literal(const std::string& host) {
  std::array<unsigned char, 16> buffer{};
  return inet_pton(AF_INET, host.c_str(), buffer.data()) == 1 || inet_pton(AF_INET6, host.c_str(), buffer.data()) == 1;
}

}  // namespace

std::vector<std::string> interleave_families(const std::vector<std::string>& addresses) {
  std::vector<std::string> first;
  std::vector<std::string> other;
  for (const std::string& address : addresses) {
    const bool same = (address.find(':') != std::string::npos) == (addresses.front().find(':') != std::string::npos);
    (same ? first : other).push_back(address);
  }
  std::vector<std::string> out;
  for (std::size_t i = 0; i < std::max(first.size(), other.size()); ++i) {
    if (i < first.size()) {
      out.push_back(first[i]);
    }
    if (i < other.size()) {
      out.push_back(other[i]);
    }
  }
  return out;
}

Resolution lookup_host(const std::string& host) {
  Resolution out;
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* list = nullptr;
  const int rc = getaddrinfo(host.c_str(), nullptr, &hints, &list);
  if (rc != 0) {
    out.error = gai_strerror(rc);
    return out;
  }
  for (const addrinfo* entry = list; entry != nullptr && out.addresses.size() < k_max_addresses;
       entry = entry->ai_next) {
    std::array<char, INET6_ADDRSTRLEN> text{};
    const void* raw = nullptr;
    if (entry->ai_family == AF_INET) {
      raw = &reinterpret_cast<const sockaddr_in*>(entry->ai_addr)->sin_addr;
    } else if (entry->ai_family == AF_INET6) {
      raw = &reinterpret_cast<const sockaddr_in6*>(entry->ai_addr)->sin6_addr;
    }
    if (raw == nullptr || inet_ntop(entry->ai_family, raw, text.data(), text.size()) == nullptr) {
      continue;
    }
    std::string address(text.data());
    if (std::find(out.addresses.begin(), out.addresses.end(), address) == out.addresses.end()) {
      out.addresses.push_back(std::move(address));
    }
  }
  freeaddrinfo(list);
  if (out.addresses.empty()) {
    out.error = "no IPv4 or IPv6 address";
  }
  return out;
}

Resolution resolve_host(const std::string& host, std::chrono::steady_clock::time_point deadline,
                        const LookupFn& lookup) {
  if (is_ip_literal(host)) {
    Resolution out;
    out.addresses.push_back(host);
    return out;
  }
  auto state = std::make_shared<PendingLookup>();
  try {
    std::thread([state, host, lookup] {
      Resolution result = lookup(host);
      const std::lock_guard lock(state->mutex);
      state->result = std::move(result);
      state->done = true;
      state->done_cv.notify_all();
    }).detach();
  } catch (const std::system_error& error) {
    Resolution out;
    out.error = std::string("could not start the resolver: ") + error.what();
    return out;
  }
  std::unique_lock lock(state->mutex);
  if (!state->done_cv.wait_until(lock, deadline, [&] { return state->done; })) {
    Resolution out;
    out.timed_out = true;
    return out;
  }
  return std::move(state->result);
}

}  // namespace pw
