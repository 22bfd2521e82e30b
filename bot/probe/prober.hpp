#pragma once

#include <bot/config/config.hpp>
#include <bot/model/evidence.hpp>

namespace pw {

// Makes HTTP(S) requests for checks. The real one is HttplibProber; tests script fakes.
class Prober {
 public:
  virtual ~Prober() = default;
  // Makes one attempt at `check` (following redirects unless disabled) within the
  // check's total timeout, and returns what was observed. Never throws for network faults.
  virtual Evidence attempt(const Check& check) = 0;
};

}  // namespace pw
