#pragma once

#include <github_client/transport.hpp>

#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <random>
#include <vector>

namespace pw::test {

// Runs several clients at once with their requests interleaved in a random but reproducible
// order: each request waits until the scheduler picks it. Use one Lane per client.
class Interleaver {
 public:
  explicit Interleaver(std::uint64_t seed) : m_random(seed) {}

  // A transport for one of the concurrent clients; requests go to `inner` when their turn comes.
  class Lane final : public github::Transport {
   public:
    Lane(Interleaver& owner, github::Transport& inner, std::size_t id) : m_owner(owner), m_inner(inner), m_id(id) {}
    std::expected<github::HttpResponse, github::TransportError> send(const github::HttpRequest& request) override;

   private:
    Interleaver& m_owner;
    github::Transport& m_inner;
    std::size_t m_id;
  };

  // Runs every task on its own thread, letting exactly one request proceed at a time: once every
  // live task waits on a request, a lane chosen at random (from the seed) goes next.
  void run(const std::vector<std::function<void()>>& tasks);

 private:
  friend class Lane;
  void wait_turn(std::size_t lane);
  void done_turn();

  std::mt19937_64 m_random;
  std::mutex m_mutex;
  std::condition_variable m_changed;
  std::vector<std::size_t> m_waiting;    // lanes blocked waiting for a turn
  std::size_t m_running = 0;             // tasks not finished
  std::optional<std::size_t> m_granted;  // the lane that may proceed
  bool m_busy = false;                   // a granted request is in flight
};

}  // namespace pw::test
