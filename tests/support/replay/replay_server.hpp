#pragma once

#include <support/replay/replay_fixture.hpp>

#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace httplib {
class Server;
struct Request;
struct Response;
}  // namespace httplib

namespace pw::test {

// Replays recorded GitHub traffic over real HTTP on loopback, like @octokit/fixtures-server:
// each scenario lives under http://127.0.0.1:<port>/api.github.com/<id>/ and every
// "https://api.github.com" in its recorded headers and bodies is rewritten to that root.
//
// A request matches the first unconsumed recording with the same method, path, "page" query
// parameter and JSON body (other query parameters such as per_page may differ: the recording
// cannot be re-paged). Each recording answers once. Anything else answers 501 and is kept in
// mismatches(). Requests must carry Authorization and an Accept naming application/vnd.github.
class ReplayServer {
 public:
  ReplayServer();
  ~ReplayServer();
  ReplayServer(const ReplayServer&) = delete;
  ReplayServer& operator=(const ReplayServer&) = delete;

  // Binds an ephemeral loopback port and serves; throws when it cannot.
  void start();
  // Stops serving; safe to call twice.
  void stop();
  // Adds a scenario; returns its API root, e.g. "http://127.0.0.1:4567/api.github.com/1".
  std::string add_scenario(std::vector<RecordedExchange> exchanges);
  // Returns "METHOD path" of the recordings of scenario root `api_root` not replayed yet.
  std::vector<std::string> pending(const std::string& api_root) const;
  // Returns a description of every request that matched no recording.
  std::vector<std::string> mismatches() const;

 private:
  struct Scenario {
    std::string id;
    std::string root;
    std::vector<RecordedExchange> exchanges;
    std::vector<bool> consumed;
  };
  void serve(const httplib::Request& request, httplib::Response& response);

  std::unique_ptr<httplib::Server> m_server;
  std::thread m_thread;
  int m_port = 0;
  mutable std::mutex m_mutex;
  std::vector<Scenario> m_scenarios;
  std::vector<std::string> m_mismatches;
};

}  // namespace pw::test
