#pragma once

#include <fmt/format.h>

#include <string>

namespace pw::test {

// A config whose checks (YAML list items, indented by two spaces) get short deadlines and no
// retries, so a failing case costs about one timeout.
inline std::string config_of(const std::string& checks) {
  return "defaults: { timeout: 1s, retries: 0 }\nchecks:\n" + checks;
}

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
