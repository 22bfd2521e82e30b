#pragma once

#include <base/clock.hpp>

namespace pw {

// The bot shares github_client's clock (both take it from base/): the wall clock and the only
// way anything waits, so tests run time forward instead of sleeping.
using Clock = base::Clock;
using SystemClock = base::SystemClock;
using TimePoint = base::TimePoint;

}  // namespace pw
