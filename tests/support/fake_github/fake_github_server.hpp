#pragma once

#include <support/fake_github/fake_github.hpp>

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>

namespace httplib {
class Server;
struct Request;
struct Response;
}  // namespace httplib

namespace pw::test {

struct FakeGitHubServerOptions {
  std::string host = "127.0.0.1";
  int port = 0;             // 0 picks a free port
  bool control_api = true;  // serve /_fake/ (see control_api.hpp)
  // Upper bound on a timeout fault's delay, so a test never hangs on it.
  std::chrono::milliseconds max_delay{3000};
};

// Serves a FakeGitHub over real HTTP on loopback. Resets really close the connection before a
// complete response; timeouts really hold it (bounded by max_delay, cut short by stop()).
class FakeGitHubServer {
 public:
  explicit FakeGitHubServer(FakeGitHub& github, FakeGitHubServerOptions options = {});
  ~FakeGitHubServer();
  FakeGitHubServer(const FakeGitHubServer&) = delete;
  FakeGitHubServer& operator=(const FakeGitHubServer&) = delete;

  // Binds and starts serving; returns once connections are accepted. Throws when it cannot bind.
  void start();
  // Stops serving and joins the server thread; safe to call twice.
  void stop();
  // Returns the API root: "http://127.0.0.1:<port>" plus the fake's API prefix.
  std::string url() const;
  int port() const { return m_port; }
  // Returns how many distinct client connections have sent requests.
  std::size_t connections() const;

 private:
  void serve(const httplib::Request& request, httplib::Response& response);
  void hold(std::chrono::milliseconds delay);

  FakeGitHub& m_github;
  FakeGitHubServerOptions m_options;
  std::unique_ptr<httplib::Server> m_server;
  std::thread m_thread;
  int m_port = 0;
  mutable std::mutex m_mutex;
  std::condition_variable m_stopping_signal;
  bool m_stopping = false;
  std::set<std::pair<std::string, int>> m_connections;
};

}  // namespace pw::test
