#pragma once

#include <github_client/clock.hpp>

namespace pw {

// The bot shares github_client's clock: the wall clock and the only way anything waits, so
// tests run time forward instead of sleeping.
using Clock = github::Clock;
using SystemClock = github::SystemClock;
using TimePoint = github::TimePoint;

}  // namespace pw
