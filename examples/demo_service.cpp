// A tiny service for scripts/demo: GET /health answers 200 while up and 503 while down;
// POST /admin/down and /admin/up flip it. Listens on 127.0.0.1 only and prints its port.
#include <httplib.h>

#include <atomic>
#include <cstdio>
#include <string>

int main(int argc, char** argv) {
  const int wanted_port = argc > 1 ? std::stoi(argv[1]) : 0;
  std::atomic<bool> up{argc > 2 ? std::string(argv[2]) != "down" : true};
  httplib::Server server;
  server.Get("/health", [&](const httplib::Request&, httplib::Response& response) {
    response.set_header("X-Request-Id", "demo-1");
    if (up) {
      response.set_content(R"({"status":"ok","version":"1.4.2"})", "application/json");
    } else {
      response.status = 503;
      response.set_content(R"({"status":"down","error":"database connection refused"})", "application/json");
    }
  });
  server.Post("/admin/down", [&](const httplib::Request&, httplib::Response& response) {
    up = false;
    response.set_content("down\n", "text/plain");
  });
  server.Post("/admin/up", [&](const httplib::Request&, httplib::Response& response) {
    up = true;
    response.set_content("up\n", "text/plain");
  });
  const int port = wanted_port > 0 && server.bind_to_port("127.0.0.1", wanted_port)
                       ? wanted_port
                       : server.bind_to_any_port("127.0.0.1");
  if (port <= 0) {
    std::fprintf(stderr, "demo_service: cannot listen on 127.0.0.1\n");
    return 1;
  }
  std::printf("%d\n", port);
  std::fflush(stdout);
  return server.listen_after_bind() ? 0 : 1;
}
