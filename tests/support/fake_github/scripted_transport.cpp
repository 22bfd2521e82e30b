#include <support/fake_github/scripted_transport.hpp>

namespace pw::test {

void ScriptedTransport::push(Reply reply) {
  std::lock_guard lock(m_mutex);
  m_queue.push_back(std::move(reply));
}

void ScriptedTransport::set_responder(Responder responder) {
  std::lock_guard lock(m_mutex);
  m_responder = std::move(responder);
}

ScriptedTransport::Reply ScriptedTransport::send(const github::HttpRequest& request) {
  Responder responder;
  {
    std::lock_guard lock(m_mutex);
    m_requests.push_back(request);
    if (!m_queue.empty()) {
      Reply reply = std::move(m_queue.front());
      m_queue.pop_front();
      return reply;
    }
    responder = m_responder;
  }
  if (responder) {
    return responder(request);
  }
  return github::HttpResponse{404, {}, R"({"message":"Not Found"})"};
}

std::vector<github::HttpRequest> ScriptedTransport::requests() const {
  std::lock_guard lock(m_mutex);
  return m_requests;
}

}  // namespace pw::test
