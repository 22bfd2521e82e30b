#pragma once

#include <support/fake_github/manual_clock.hpp>

namespace pw::test {

// A clock that never sleeps: sleep_for advances time and records the wait. pw::Clock is
// github::Clock, so the bot's tests use the fake GitHub's clock under the name they know.
using FakeClock = ManualClock;

}  // namespace pw::test
