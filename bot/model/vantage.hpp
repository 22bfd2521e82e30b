#pragma once

#include <bot/core/clock.hpp>
#include <bot/core/duration.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pw {

// Where a vantage point probes from, relative to the private network the checks live in.
enum class VantageNetwork { unspecified, inside, outside };

// Returns "inside", "outside" or "" (unspecified).
const char* to_string(VantageNetwork network);
// Returns the network named "inside" or "outside"; nullopt for any other text.
std::optional<VantageNetwork> parse_vantage_network(std::string_view text);

// A vantage point the config declares (`vantages:`): a job that probes the same checks.
struct VantageDeclaration {
  std::string name;
  VantageNetwork network = VantageNetwork::unspecified;
};

// How one vantage saw one check this run. `unknown`: its report is missing or stale, or does
// not cover the check; unknown never counts as passing.
enum class VantageState { pass, fail, unknown };

// One vantage's view of one check, already redacted (it comes from that vantage's report).
struct VantageRow {
  std::string name;
  VantageNetwork network = VantageNetwork::unspecified;
  VantageState state = VantageState::unknown;
  std::string reason;  // fail: the failure in one line; unknown: why it is unknown; pass: ""
  std::optional<int> status;
  Millis response_time{0};
  std::vector<std::string> addresses;
  std::string server;                     // the Server header, then the Via header, "" when neither
  std::string hint;                       // the title of the first hint the vantage named, "" when none
  std::optional<TimePoint> generated_at;  // when the vantage's report was written
};

// How the vantages voted on one check. A check fails when at least `quorum` vantages fail;
// otherwise it passes when at least `quorum` pass; otherwise there is no verdict this run
// (`decided` false) and its incident stays as it is.
struct QuorumVerdict {
  int quorum = 1;
  int passing = 0;
  int failing = 0;
  int unknown = 0;
  bool decided = false;
  std::string evidence_from;     // the vantage whose evidence the combined result carries ("" without a verdict)
  std::vector<VantageRow> rows;  // declared vantages first, in config order, then the others by name
};

// Returns the short note the dashboard shows for a check's vantages: "no verdict: 1 of 3 vantages
// failing, 1 unknown" without a verdict, "1 of 3 vantages failing: gh-eu" when some fail, "" when
// none fails.
std::string vantage_note(const QuorumVerdict& verdict);

}  // namespace pw
