#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <thread>

namespace httplib {
class Server;
struct Request;
struct Response;
}  // namespace httplib

namespace pw::test {

// What the in-process HTTP servers of the tests share (fake GitHub, replay server, endpoints).

using ServeHandler = std::function<void(const httplib::Request&, httplib::Response&)>;

// Routes every method and path of `server` to `handler`, and keeps idle kept-alive connections
// short, since stopping a server waits for them.
void route_everything(httplib::Server& server, ServeHandler handler);

// Binds `server` to host:port (port 0: a free one), runs its accept loop on `thread` and waits
// until the loop runs (httplib's stop() has no effect before). Returns the port; throws
// std::runtime_error "<who>: cannot listen on <host>:<port>" when it cannot bind.
int serve_on_thread(httplib::Server& server, std::thread& thread, const std::string& host, int port,
                    std::string_view who);

// Stops `server` and joins `thread`.
void stop_serving(httplib::Server& server, std::thread& thread);

}  // namespace pw::test
