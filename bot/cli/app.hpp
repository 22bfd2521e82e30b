#pragma once

#include <bot/core/clock.hpp>
#include <bot/core/environment.hpp>
#include <bot/core/files.hpp>
#include <bot/probe/prober.hpp>

#include <github_client/transport.hpp>

#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

namespace pw {

// Exit codes, as DESIGN.md fixes them.
inline constexpr int k_exit_ok = 0;
inline constexpr int k_exit_failing = 1;
inline constexpr int k_exit_usage = 2;
inline constexpr int k_exit_tracker = 3;
inline constexpr int k_exit_network_down = 4;

// Everything a command touches outside itself. main() makes the real ones; tests make fakes.
struct AppContext {
  Environment env;
  Clock& clock;
  Files& files;
  Prober& prober;
  // Makes the HTTP transport for the GitHub API.
  std::function<std::unique_ptr<github::Transport>()> make_transport;
  std::ostream& out;
  std::ostream& err;
  bool out_is_terminal = false;
  bool err_is_terminal = false;
  std::chrono::milliseconds write_spacing{1000};  // between GitHub writes; tests use 0
  bool watch_signals = false;  // watch stops on SIGTERM and SIGINT (main sets it; in-process tests do not)
};

// Parses the command line and runs the command; returns the exit code. Never throws for bad
// input: usage errors print a message and return 2.
int run_app(const std::vector<std::string>& args, AppContext& context);

}  // namespace pw
