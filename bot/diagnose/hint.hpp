#pragma once

#include <string>

namespace pw {

// A likely cause named from the evidence, with the evidence that triggered it.
struct Hint {
  std::string id;        // stable rule name: "dns", "edge-404", ...
  std::string title;     // "the name does not resolve"
  std::string detail;    // one or two sentences for people
  std::string evidence;  // the quoted evidence, e.g. "server: cloudflare (healthy responses: nginx)"
};

}  // namespace pw
