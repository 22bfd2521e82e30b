#pragma once

#include <base/clock.hpp>

namespace github {

// The client's only source of time and only way to wait, so tests never sleep. It lives in
// base/ (pw_base), shared with the bot; these names stay for the client's users.
using TimePoint = pw::base::TimePoint;
using Clock = pw::base::Clock;
using SystemClock = pw::base::SystemClock;

}  // namespace github
