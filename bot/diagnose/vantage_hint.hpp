#pragma once

#include <bot/diagnose/hint.hpp>
#include <bot/model/vantage.hpp>

#include <optional>
#include <vector>

namespace pw {

// Returns the hint the vantages' split names: every known inside vantage passes and every known
// outside one fails ("vantage-edge": look at the edge, DNS, firewall or CDN), or the reverse
// ("vantage-internal": internal DNS or routing). Needs at least one known vantage on each side;
// unknown vantages and those without a network are left out. nullopt for any other mix.
std::optional<Hint> vantage_hint(const std::vector<VantageRow>& rows);

}  // namespace pw
