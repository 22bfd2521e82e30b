#include <support/serve.hpp>

#include <fmt/format.h>
#include <httplib.h>

#include <chrono>
#include <stdexcept>

namespace pw::test {

void route_everything(httplib::Server& server, ServeHandler handler) {
  server.set_keep_alive_timeout(1);
  server.Get(".*", handler);
  server.Post(".*", handler);
  server.Put(".*", handler);
  server.Patch(".*", handler);
  server.Delete(".*", handler);
  server.Options(".*", handler);
}

int serve_on_thread(httplib::Server& server, std::thread& thread, const std::string& host, int port,
                    std::string_view who) {
  const int bound = port == 0 ? server.bind_to_any_port(host) : (server.bind_to_port(host, port) ? port : -1);
  if (bound <= 0) {
    throw std::runtime_error(fmt::format("{}: cannot listen on {}:{}", who, host, port));
  }
  thread = std::thread([&server] { server.listen_after_bind(); });
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (!server.is_running() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::yield();  // the socket listens already; the accept loop is starting
  }
  return bound;
}

void stop_serving(httplib::Server& server, std::thread& thread) {
  server.stop();
  if (thread.joinable()) {
    thread.join();
  }
}

}  // namespace pw::test
