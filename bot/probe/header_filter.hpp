#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace pw {

// Returns true for a response header a person reading an incident needs: server, via,
// content-type, location, request ids, and the headers proxies, CDNs and edges add
// (cf-ray, x-cache, x-served-by, x-amz-cf-*, x-varnish, x-envoy-*, ...). `name` is lower-case.
bool is_evidence_header(std::string_view name);

// Collects the headers worth keeping from a response, bounded against hostile servers:
// at most k_max_kept headers (plus one value for each header the check names), each value
// cut to k_max_value bytes on a UTF-8 boundary.
class HeaderKeeper {
 public:
  static constexpr std::size_t k_max_kept = 48;
  static constexpr std::size_t k_max_value = 1024;

  // `named` are the lower-case header names the check's expectations mention.
  explicit HeaderKeeper(std::vector<std::string> named);
  // Offers one response header; keeps it when it is evidence and the caps allow.
  void offer(std::string_view name, std::string_view value);
  // Returns the kept headers with lower-case names, in the order offered.
  std::vector<std::pair<std::string, std::string>> take();

 private:
  std::vector<std::string> m_named;
  std::vector<bool> m_named_seen;
  std::size_t m_general = 0;
  std::vector<std::pair<std::string, std::string>> m_kept;
};

}  // namespace pw
