#pragma once

#include <github_client/transport.hpp>
#include <support/fake_github/fake_github.hpp>

#include <atomic>
#include <mutex>
#include <cstddef>

namespace pw::test {

// A github::Transport that hands each request to a FakeGitHub in memory. Dropped connections
// come back as TransportErrors: reset and timeout with request_sent, refuse without.
class FakeTransport final : public github::Transport {
 public:
  explicit FakeTransport(FakeGitHub& github) : m_github(github) {}

  // Returns the fake's answer, or the transport error its fault stands for.
  std::expected<github::HttpResponse, github::TransportError> send(const github::HttpRequest& request) override;

  // Returns how many requests went through this transport.
  std::size_t sent() const { return m_sent; }

  // Returns the headers of the last request, for asserting what the client sends.
  github::Headers last_headers() const;

 private:
  FakeGitHub& m_github;
  std::atomic<std::size_t> m_sent{0};
  mutable std::mutex m_mutex;
  github::Headers m_last_headers;
};

}  // namespace pw::test
