#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace pw::test {

// One step of a scripted reply.
struct Step {
  enum class Kind { send, send_repeated, wait, reset, close };
  Kind kind = Kind::send;
  std::string data;                    // send: the bytes; send_repeated: the unit repeated
  std::size_t total = 0;               // send_repeated: how many bytes in all
  std::chrono::milliseconds delay{0};  // wait
};

// What a connection does: optionally read the request head, then play the steps.
struct Script {
  bool read_request = true;  // false: play at once (e.g. to answer a TLS ClientHello with HTTP)
  std::vector<Step> steps;
};

// The request a fault server read (the head, and a Content-Length body when small).
struct SeenRequest {
  std::string method;
  std::string target;
  std::string head;  // request line and headers as received
  std::string body;
};

// Step builders.
Step send(std::string bytes);
Step send_repeated(std::string unit, std::size_t total_bytes);
Step wait(std::chrono::milliseconds delay);
Step reset();  // SO_LINGER 0 then close: the peer sees a TCP RST

// Ready-made replies for the fault matrix.
// A complete response; `extra_headers` are full lines without the trailing CRLF.
Script respond(int status, std::string body, std::string content_type = "text/plain",
               std::vector<std::string> extra_headers = {});
// Sends the status line at once, then the headers one byte every `interval`.
Script slow_headers(std::chrono::milliseconds interval);
// Sends headers for `length` bytes, then `chunk` bytes every `interval`.
Script trickling_body(std::size_t length, std::size_t chunk, std::chrono::milliseconds interval);
// Sends headers for `length` bytes and `sent` of them, then resets the connection.
Script reset_mid_body(std::size_t length, std::size_t sent);
// Resets the connection as soon as the request has been read.
Script reset_before_response();
// A 200 with a body of `length` bytes, generated as it is sent (no memory held).
Script huge_body(std::size_t length);
// A 200 with `count` extra headers.
Script many_headers(std::size_t count);
// Answers after `delay` with a small 200.
Script delayed_ok(std::chrono::milliseconds delay);

// A small in-process HTTP fault server on 127.0.0.1 (ephemeral port): one thread, poll(),
// hundreds of concurrent connections, each playing a script chosen from its request.
// Started by the constructor, stopped by the destructor.
class FaultServer {
 public:
  using Chooser = std::function<Script(const SeenRequest&)>;

  explicit FaultServer(Chooser choose);
  explicit FaultServer(Script script);
  ~FaultServer();
  FaultServer(const FaultServer&) = delete;
  FaultServer& operator=(const FaultServer&) = delete;

  int port() const { return m_port; }
  // Returns "http://127.0.0.1:<port><path>".
  std::string url(std::string_view path = "/") const;
  // Returns true once a TCP connection to the server succeeds (bounded by `timeout`).
  bool wait_until_ready(std::chrono::milliseconds timeout = std::chrono::milliseconds(5000)) const;
  // The requests read so far (at most the first 1,000).
  std::vector<SeenRequest> requests() const;

 private:
  struct Loop;
  void start();
  std::unique_ptr<Loop> m_loop;
  int m_port = 0;
  std::thread m_thread;
};

// A port that refuses connections: bound (so nobody else takes it) but not listening.
class RefusedPort {
 public:
  RefusedPort();
  ~RefusedPort();
  RefusedPort(const RefusedPort&) = delete;
  RefusedPort& operator=(const RefusedPort&) = delete;
  int port() const { return m_port; }

 private:
  int m_fd = -1;
  int m_port = 0;
};

// A listener whose accept queue is full, so a new connection hangs in SYN_SENT: the way
// to make "connect" time out on loopback.
class BlackholePort {
 public:
  BlackholePort();
  ~BlackholePort();
  BlackholePort(const BlackholePort&) = delete;
  BlackholePort& operator=(const BlackholePort&) = delete;
  int port() const { return m_port; }

 private:
  int m_listener = -1;
  std::vector<int> m_fillers;
  int m_port = 0;
};

}  // namespace pw::test
