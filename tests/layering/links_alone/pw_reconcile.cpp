// Links pw_reconcile alone (whole archive): a symbol it takes from anywhere else fails this link.
#include <bot/reconcile/marker.hpp>

#include <cstdio>

int main() {
  std::puts(pw::format_marker(pw::IncidentState{}).c_str());
  return 0;
}
