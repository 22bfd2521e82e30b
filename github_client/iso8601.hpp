#pragma once

#include <github_client/clock.hpp>

#include <base/iso8601.hpp>

namespace github {

// GitHub's timestamps: "2026-11-27T23:52:28Z". Defined in base/ (pw_base), shared with the bot.
using pw::base::format_iso8601;
using pw::base::parse_iso8601;

}  // namespace github
