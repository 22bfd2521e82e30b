#pragma once

#include <github_client/transport.hpp>

#include <deque>
#include <functional>
#include <mutex>
#include <vector>

namespace pw::test {

// A github::Transport that answers from a script, for responses no real server would send
// (hostile bodies, foreign Link headers). Records every request.
class ScriptedTransport final : public github::Transport {
 public:
  using Reply = std::expected<github::HttpResponse, github::TransportError>;
  using Responder = std::function<Reply(const github::HttpRequest&)>;

  // Queues one reply; queued replies are used first, in order.
  void push(Reply reply);
  // Answers every request once the queue is empty (default: 404).
  void set_responder(Responder responder);

  // Records the request, then answers with the next queued reply or the responder.
  Reply send(const github::HttpRequest& request) override;

  // Returns every request sent so far, in order.
  std::vector<github::HttpRequest> requests() const;

 private:
  mutable std::mutex m_mutex;
  std::deque<Reply> m_queue;
  Responder m_responder;
  std::vector<github::HttpRequest> m_requests;
};

}  // namespace pw::test
