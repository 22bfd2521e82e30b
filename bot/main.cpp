// probewatch: wiring only. Makes the real clock, files, prober and transport, and hands them to
// the commands.
#include <bot/cli/app.hpp>
#include <bot/cli/tracker_setup.hpp>
#include <bot/probe/dns_prober.hpp>
#include <bot/probe/httplib_prober.hpp>
#include <bot/probe/scheme_prober.hpp>
#include <bot/probe/socket_prober.hpp>

#include <github_client/httplib_transport.hpp>

#include <exception>
#include <iostream>

#include <unistd.h>

int main(int argc, char** argv) {
  try {
    pw::SystemClock clock;
    pw::DiskFiles files;
    pw::Environment env = pw::read_process_environment();
    const pw::ProxySettings proxies = pw::proxy_settings_from(env);
    pw::HttplibProber http_prober({pw::lookup_host, proxies});
    pw::SocketProber socket_prober;
    pw::DnsProber dns_prober;
    pw::SchemeProber prober(http_prober, socket_prober, dns_prober);
    github::HttplibTransportOptions transport;
    transport.proxy = pw::github_proxy_chooser(proxies);
    pw::AppContext context{std::move(env),
                           clock,
                           files,
                           prober,
                           [transport] { return std::make_unique<github::HttplibTransport>(transport); },
                           std::cout,
                           std::cerr};
    context.out_is_terminal = ::isatty(STDOUT_FILENO) == 1;
    context.err_is_terminal = ::isatty(STDERR_FILENO) == 1;
    context.watch_signals = true;
    return pw::run_app(std::vector<std::string>(argv + 1, argv + argc), context);
  } catch (const std::exception& error) {
    std::cerr << "probewatch: internal error: " << error.what() << "\n";
    return 2;
  }
}
