#pragma once

#include <github_client/transport.hpp>
#include <support/fake_github/fake_github.hpp>

#include <string>
#include <string_view>

namespace pw::test {

// The JSON control API that scripts drive the fake through, under /_fake/:
//   GET    /_fake/state       the whole state (FakeGitHub::dump)
//   GET    /_fake/requests    the request log
//   POST   /_fake/repos       {"repo":"o/r","issues_enabled":true}             -> {"id":1000}
//   POST   /_fake/issues      {"repo","title","body","labels","assignees","author","state","state_reason",
//                              "created_at","updated_at","closed_at","pull_request":false} -> {"number":1}
//   POST   /_fake/comments    {"repo","number","body","author","created_at"}    -> {"id":900000}
//   POST   /_fake/labels      {"repo","name","color","description"}
//   POST   /_fake/faults      a fault rule (see fault_rule_from_json)           -> {"faults":N}
//   DELETE /_fake/faults      removes every rule
//   POST   /_fake/rate_limit  {"remaining":0,"reset":"2026-11-27T01:00:00Z"}
//   POST   /_fake/tokens      {"token":"...","login":"..."}
//   POST   /_fake/time        {"now":"2026-11-27T00:00:00Z"} or {"advance_seconds":60} (internal clock only)
//   POST   /_fake/reset       forgets everything
// Errors answer 400 {"error":"..."}.
github::HttpResponse handle_control(FakeGitHub& github, std::string_view method, std::string_view path,
                                    const std::string& body);

}  // namespace pw::test
