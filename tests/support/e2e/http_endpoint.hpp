#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <thread>

namespace httplib {
class Server;
struct Request;
struct Response;
}  // namespace httplib

namespace pw::test {

// A small HTTP server on 127.0.0.1 (ephemeral port) that answers every method and path with
// `handler`. Started and waited for by the constructor, stopped by the destructor, so a test that
// fails still stops it.
class HttpEndpoint {
 public:
  using Handler = std::function<void(const httplib::Request&, httplib::Response&)>;

  explicit HttpEndpoint(Handler handler);
  ~HttpEndpoint();
  HttpEndpoint(const HttpEndpoint&) = delete;
  HttpEndpoint& operator=(const HttpEndpoint&) = delete;

  int port() const { return m_port; }
  // Returns "http://127.0.0.1:<port><path>".
  std::string url(std::string_view path = "/") const;

 private:
  std::unique_ptr<httplib::Server> m_server;
  std::thread m_thread;
  int m_port = 0;
};

}  // namespace pw::test
