// Fuzzes the RFC 8288 Link header parser that drives pagination.
// Beyond not crashing: every URL is what stood between '<' and '>', relation types are
// non-empty, lower-case and space-free, and next_link agrees with parse_link_header.

#include "fuzz_check.hpp"

#include <github_client/link_header.hpp>

#include <algorithm>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view header = fuzz::as_text(data, size);
  const auto links = github::parse_link_header(header);
  std::optional<std::string> first_next;
  for (const github::Link& link : links) {
    FUZZ_CHECK(link.url.find('>') == std::string::npos);
    FUZZ_CHECK(header.find("<" + link.url + ">") != std::string_view::npos);
    for (const std::string& rel : link.rels) {
      FUZZ_CHECK(!rel.empty());
      FUZZ_CHECK(rel.find(' ') == std::string::npos && rel.find('\t') == std::string::npos);
      FUZZ_CHECK(std::none_of(rel.begin(), rel.end(), [](char c) { return c >= 'A' && c <= 'Z'; }));
    }
    if (!first_next && std::find(link.rels.begin(), link.rels.end(), "next") != link.rels.end()) {
      first_next = link.url;
    }
  }
  FUZZ_CHECK(github::next_link(header) == first_next);
  return 0;
}
