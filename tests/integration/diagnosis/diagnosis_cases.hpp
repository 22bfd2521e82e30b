#pragma once

#include <fmt/format.h>

#include <string>

namespace pw::test {

// A config whose checks (YAML list items, indented by two spaces) get no retries and a deadline
// that an answering server meets even on a loaded machine. A case that must time out sets its
// own short deadline with k_timeout_case.
inline std::string config_of(const std::string& checks) {
  return "defaults: { timeout: 10s, retries: 0 }\nchecks:\n" + checks;
}

// The deadline of a case that must time out in a given phase: long enough for the probe to
// reach that phase on a busy machine.
inline constexpr const char* k_timeout_case = "    timeout: 2s\n";

// One check as a YAML list item; `extra` holds further keys, each line indented by four spaces.
inline std::string check_of(const std::string& id, const std::string& url, const std::string& extra = "") {
  return fmt::format("  - id: {}\n    url: {}\n{}", id, url, extra);
}

// The inside of an nginx server block that proxies to the application on `app_port`. When the
// file `flag` exists, nginx itself answers /api/orders with its own 404 (the edge, not the
// application). With `pass_server`, proxied responses keep the application's Server header.
inline std::string edge_in_front_of(int app_port, const std::string& flag, bool pass_server) {
  const std::string upstream =
      fmt::format("proxy_pass http://127.0.0.1:{};{}", app_port, pass_server ? " proxy_pass_header Server;" : "");
  return fmt::format(
      "    location = /api/orders {{ if (-f {}) {{ return 404; }} {} }}\n"
      "    location / {{ {} }}\n",
      flag, upstream, upstream);
}

}  // namespace pw::test
