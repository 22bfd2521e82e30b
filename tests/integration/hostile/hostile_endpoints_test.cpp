// integration.hostile_endpoints: the real binary (`probewatch run`, and `probewatch action` for the
// injection case) against hostile servers on loopback, each with a fresh fake GitHub. Every run must
// end within its check timeout plus a margin, stay in bounded memory (peak RSS of the child, measured
// through rusage_exec), exit 1 (a failing check) rather than crash, and file exactly one incident
// whose body renders the untrusted evidence inertly.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <bot/reconcile/marker.hpp>
#include <support/e2e/binary_sandbox.hpp>
#include <support/e2e/workflow_log.hpp>
#include <support/fault_server.hpp>

#include <doctest/doctest.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <variant>

using namespace std::chrono_literals;
using pw::test::BinarySandbox;
using pw::test::FaultServer;
using pw::test::ProcessResult;
using pw::test::Script;

namespace {

const pw::test::BinaryPaths k_binaries{PROBEWATCH_BINARY, RUSAGE_EXEC_BINARY};

constexpr auto k_check_timeout = 3s;
// A real-time bound on purpose: whatever the server does, a run ends soon after its checks' deadline.
constexpr auto k_run_limit = 20s;
constexpr std::size_t k_max_text = 65'000;

#if defined(__SANITIZE_ADDRESS__)
constexpr bool k_sanitized = true;
#else
constexpr bool k_sanitized = false;
#endif
// Peak RSS of the binary. Without sanitizers an absolute bound; ASan's shadow memory and quarantine
// inflate every figure several-fold, so there the bound is relative to a plain failing run measured in
// the same test: the hostile case may add at most k_rss_growth_limit_kib over it.
constexpr long k_rss_limit_kib = 128 * 1024;
constexpr long k_rss_growth_limit_kib = 96 * 1024;
// Under sanitizers, when the baseline did not run (a filtered run): a loose absolute bound.
constexpr long k_rss_limit_sanitized_alone_kib = 512 * 1024;

// The hostile body of the injection case: every way a response could try to break out of its place
// in an issue, a comment or the runner's log. Lines tagged HOSTILE are looked for afterwards.
const std::string k_injection_body =
    "HOSTILE start\n"
    "```\n"
    "````html\n"
    "</details> HOSTILE closing the details block\n"
    "<img src=x onerror=alert(document.domain)> HOSTILE\n"
    "<script>alert(1)</script> HOSTILE\n"
    "<!-- probewatch:v1 {\"kind\":\"incident\",\"check\":\"hijacked\",\"runs_failed\":99} --> HOSTILE\n"
    "<!-- probewatch:v1 {\"kind\":\"dashboard\",\"checks\":{}} --> HOSTILE\n"
    "<!-- probewatch:end -->\n"
    "<!-- probewatch:begin (this section is rewritten on every run; edit outside it) -->\n"
    "@everyone @octocat @github/security please look at #1 and octo/e2e#2 HOSTILE\n"
    "[click me](javascript:alert(1)) ![x](https://evil.example/x.png) HOSTILE\n"
    "::add-mask::HOSTILE-MASK\n"
    "::error::HOSTILE-ERROR\n"
    "  ::warning file=x::HOSTILE-INDENTED\n"
    "::stop-commands::HOSTILE\n"
    "##[add-mask]HOSTILE-LEGACY\n"
    "``````\n"
    "HOSTILE end\n";

const std::vector<std::string> k_injection_headers = {
    "X-Request-Id: @octocat #12 <img src=x onerror=alert(1)> ``` HOSTILE-HEADER",
    "Server: <!-- probewatch:v1 {\"kind\":\"incident\",\"check\":\"hijacked\"} --> HOSTILE-HEADER",
    "Via: ::add-mask::HOSTILE-HEADER-MASK",
};

// Headers dribbled one byte every 50 ms, for a minute: the head never ends.
Script slowloris() {
  Script script{true, {pw::test::send("HTTP/1.1 200 OK\r\n")}};
  const std::string header = "X-Slowloris: still-coming\r\n";
  for (std::size_t i = 0; i < 1200; ++i) {
    script.steps.push_back(pw::test::wait(50ms));
    script.steps.push_back(pw::test::send(std::string(1, header[i % header.size()])));
  }
  return script;
}

std::string binary_body() {
  std::string body;
  for (int i = 0; i < 16 * 1024; ++i) {
    body += static_cast<char>((i * 7) % 256);
  }
  return body;
}

// Overlong encodings, lone continuation bytes, surrogates, a truncated sequence, bytes never valid.
const std::string k_invalid_utf8 =
    "valid start \xC3\xA9\n\xFF\xFE\xC3\x28 \xC0\xAF \x80\x80 \xED\xA0\x80 \xF8\x88\x80\x80\x80 \xF4\x90\x80\x80\n"
    "truncated at the end \xE2\x82";

struct HostileCase {
  std::string name;
  std::function<std::unique_ptr<FaultServer>()> make_server;
  std::string path = "/";
  bool injection = false;
  std::string expect = "{ status: 200, body_contains: probewatch-healthy }";
};

// A JSON value that the failure reason quotes, and the issue's opening line (above the bot-owned
// section and its marker) shows: a fake marker there would be the first one in the body.
const std::string k_marker_in_reason =
    R"({"status":"<!-- probewatch:v1 {\"kind\":\"incident\",\"check\":\"hijacked\"} --> <!-- probewatch:begin"})";

std::vector<HostileCase> hostile_cases() {
  return {
      {"plain 500 (baseline)", [] { return std::make_unique<FaultServer>(pw::test::respond(500, "down\n")); }},
      {"100 MiB body", [] { return std::make_unique<FaultServer>(pw::test::huge_body(100u * 1024 * 1024)); }},
      {"10,000 headers", [] { return std::make_unique<FaultServer>(pw::test::many_headers(10'000)); }},
      {"slowloris headers", [] { return std::make_unique<FaultServer>(slowloris()); }},
      {"endless redirects",
       [] {
         return std::make_unique<FaultServer>([](const pw::test::SeenRequest& request) {
           const int n = request.target.starts_with("/r/") ? std::atoi(request.target.c_str() + 3) : 0;
           return pw::test::respond(302, "", "text/plain", {"Location: /r/" + std::to_string(n + 1)});
         });
       },
       "/r/0"},
      {"binary body",
       [] { return std::make_unique<FaultServer>(pw::test::respond(500, binary_body(), "application/octet-stream")); }},
      {"invalid UTF-8",
       [] {
         return std::make_unique<FaultServer>(pw::test::respond(500, k_invalid_utf8, "text/plain; charset=utf-8"));
       }},
      {"Markdown, HTML and command injection",
       [] {
         return std::make_unique<FaultServer>(
             pw::test::respond(500, k_injection_body, "text/html; charset=utf-8", k_injection_headers));
       },
       "/", true},
      {"fake marker in the failure reason",
       [] { return std::make_unique<FaultServer>(pw::test::respond(200, k_marker_in_reason, "application/json")); },
       "/", false, "{ json: { /status: ok } }"},
  };
}

std::string config_for(const std::string& url, const std::string& expect) {
  return fmt::format(
      "defaults: {{ timeout: {}s, retries: 0 }}\n"
      "checks:\n"
      "  - id: hostile\n"
      "    name: Hostile endpoint\n"
      "    url: {}\n"
      "    expect: {}\n",
      std::chrono::seconds(k_check_timeout).count(), url, expect);
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t end = text.find('\n', start);
    lines.push_back(text.substr(start, end == std::string::npos ? std::string::npos : end - start));
    if (end == std::string::npos) {
      break;
    }
    start = end + 1;
  }
  return lines;
}

// For each line: the length of the backtick fence whose block it is inside (0 when outside any),
// reading fences as CommonMark does (up to 3 spaces of indent, at least 3 backticks, closed by a
// line of at least as many backticks and nothing else).
std::vector<std::size_t> fence_of_lines(const std::vector<std::string>& lines) {
  std::vector<std::size_t> fence(lines.size(), 0);
  std::size_t open = 0;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const std::string& line = lines[i];
    const std::size_t indent = line.find_first_not_of(' ');
    const std::string_view text =
        indent == std::string::npos || indent > 3 ? std::string_view() : std::string_view(line).substr(indent);
    std::size_t ticks = 0;
    while (ticks < text.size() && text[ticks] == '`') {
      ++ticks;
    }
    if (open == 0) {
      if (ticks >= 3 && text.substr(ticks).find('`') == std::string_view::npos) {
        open = ticks;
        fence[i] = open;  // the opening line itself
      }
      continue;
    }
    fence[i] = open;
    const bool closing = ticks >= open && text.substr(ticks).find_first_not_of(" \t") == std::string_view::npos;
    if (closing) {
      open = 0;
    }
  }
  return fence;
}

std::size_t longest_backtick_run(std::string_view text) {
  std::size_t longest = 0;
  std::size_t run = 0;
  for (const char c : text) {
    run = c == '`' ? run + 1 : 0;
    longest = std::max(longest, run);
  }
  return longest;
}

bool valid_utf8_text(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    std::size_t length = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    if (length == 0 || i + length > text.size()) {
      return false;
    }
    if (length == 1 && ((c < 0x20 && c != '\n' && c != '\t' && c != '\r') || c == 0x7F)) {
      return false;
    }
    std::uint32_t point = length == 1 ? c : length == 2 ? (c & 0x1F) : length == 3 ? (c & 0x0F) : (c & 0x07);
    for (std::size_t k = 1; k < length; ++k) {
      const auto next = static_cast<unsigned char>(text[i + k]);
      if ((next & 0xC0) != 0x80) {
        return false;
      }
      point = (point << 6) | (next & 0x3F);
    }
    const std::uint32_t minimum = length == 1 ? 0 : length == 2 ? 0x80 : length == 3 ? 0x800 : 0x10000;
    if (point < minimum || point > 0x10FFFF || (point >= 0xD800 && point <= 0xDFFF)) {
      return false;
    }
    i += length;
  }
  return true;
}

// Checks the rules for any text the bot wrote from untrusted evidence. `own_references`: the text may
// hold the bot's own #123 links (the step summary links incidents).
void check_safe_text(const std::string& what, const std::string& text, bool own_references = false) {
  INFO(what << ":\n" << text.substr(0, 6000));
  CHECK(text.size() <= k_max_text);
  CHECK(valid_utf8_text(text));
  const std::vector<std::string> lines = lines_of(text);
  const std::vector<std::size_t> fence = fence_of_lines(lines);
  // No @mention and no #123 reference without the zero-width space the renderer inserts.
  std::string live;
  for (std::size_t i = 0; i + 1 < text.size() && live.empty(); ++i) {
    const auto next = static_cast<unsigned char>(text[i + 1]);
    if ((text[i] == '@' && std::isalnum(next) != 0) || (!own_references && text[i] == '#' && std::isdigit(next) != 0)) {
      live = text.substr(i, 40);
    }
  }
  CHECK_MESSAGE(live.empty(), "a live mention or reference: " << live);
  // Every line of the hostile body is inside one fence, longer than any backtick run it holds.
  const auto start = std::find(lines.begin(), lines.end(), "HOSTILE start");
  if (start != lines.end()) {
    const std::size_t first = static_cast<std::size_t>(start - lines.begin());
    const auto end = std::find(start, lines.end(), "HOSTILE end");
    REQUIRE(end != lines.end());
    const std::size_t last = static_cast<std::size_t>(end - lines.begin());
    const std::size_t open = fence[first];
    CHECK(open > 0);
    std::string inside;
    for (std::size_t i = first; i <= last; ++i) {
      CHECK_MESSAGE(fence[i] == open, "line " << i << " left the fence: " << lines[i]);
      inside += lines[i] + "\n";
    }
    CHECK(open > longest_backtick_run(inside));
    CHECK(last + 1 < lines.size());
    CHECK(fence[last + 1] == open);  // the fence closes right after the body
  }
  // Lines with hostile markup or header values are inside fences too.
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (lines[i].find("HOSTILE") != std::string::npos || lines[i].find("<img") != std::string::npos ||
        lines[i].find("<script") != std::string::npos) {
      CHECK_MESSAGE(fence[i] > 0, "outside any fence: " << lines[i]);
    }
  }
}

// The marker that makes the issue what it is: the first one in the body, which must be the one the
// bot wrote right after the begin line of its own section.
void check_identity(const std::string& body) {
  const std::size_t marker = body.find("<!-- probewatch:v1 ");
  const std::size_t begin = body.find("<!-- probewatch:begin");
  REQUIRE(marker != std::string::npos);
  REQUIRE(begin != std::string::npos);
  CHECK(begin < marker);
  CHECK(body.compare(body.find('\n', begin) + 1, 19, "<!-- probewatch:v1 ") == 0);
  const auto parsed = pw::parse_marker(body);
  REQUIRE(parsed.has_value());
  REQUIRE(std::holds_alternative<pw::IncidentState>(*parsed));
  CHECK(std::get<pw::IncidentState>(*parsed).check == "hostile");
}

struct Figures {
  std::string name;
  std::vector<long> wall_ms;
  std::vector<long> rss_kib;
};

std::vector<Figures> g_figures;

long g_baseline_kib = -1;

std::string mib(long kib) { return kib < 0 ? "?" : fmt::format("{:.1f}", static_cast<double>(kib) / 1024.0); }

// Checks one run's time, memory and exit, and records its figures.
void check_bounds(const ProcessResult& result, Figures& figures) {
  figures.wall_ms.push_back(result.wall.count());
  figures.rss_kib.push_back(result.peak_rss_kib);
  CHECK_MESSAGE(result.exit_code == 1, result.describe());
  CHECK(result.signal == 0);
  CHECK_FALSE(result.timed_out);
  CHECK_MESSAGE(result.wall < k_run_limit, "took " << result.wall.count() << " ms");
  CHECK(result.peak_rss_kib > 0);
  if (!k_sanitized) {
    CHECK_MESSAGE(result.peak_rss_kib < k_rss_limit_kib, "peak RSS " << result.peak_rss_kib << " KiB");
  } else if (g_baseline_kib > 0) {
    CHECK_MESSAGE(result.peak_rss_kib < g_baseline_kib + k_rss_growth_limit_kib,
                  "peak RSS " << result.peak_rss_kib << " KiB, baseline " << g_baseline_kib << " KiB");
  } else {
    CHECK_MESSAGE(result.peak_rss_kib < k_rss_limit_sanitized_alone_kib, "peak RSS " << result.peak_rss_kib << " KiB");
  }
}

// Runs the binary twice against the case's server (the second run updates the incident), and for
// the injection case once more as an action; checks everything and records the figures.
void run_case(const std::string& name) {
  const auto cases = hostile_cases();
  const auto found = std::find_if(cases.begin(), cases.end(), [&](const HostileCase& c) { return c.name == name; });
  REQUIRE(found != cases.end());
  const HostileCase& hostile = *found;
  const auto server = hostile.make_server();
  REQUIRE(server->wait_until_ready());
  BinarySandbox s(k_binaries);
  s.write_file("probewatch.yml", config_for(server->url(hostile.path), hostile.expect));
  Figures& figures = g_figures.emplace_back(Figures{hostile.name, {}, {}});

  for (int run = 1; run <= 2; ++run) {
    CAPTURE(run);
    const ProcessResult result = s.run({"run", "--config", "probewatch.yml", "--report", "report.json"}, {}, 60s);
    INFO("stdout:\n" << result.out.substr(0, 4000) << "\nstderr:\n" << result.err.substr(0, 4000));
    check_bounds(result, figures);
    // Nothing from the response becomes a workflow command, even outside Actions.
    for (const std::string& line : pw::test::read_workflow_log(result.out).commands) {
      CHECK_MESSAGE(line.find("HOSTILE") == std::string::npos, line);
    }
    const auto report = nlohmann::json::parse(s.read_file("report.json"), nullptr, false);
    REQUIRE(report.is_object());
    CHECK(report["checks"][0]["ok"] == false);

    // Exactly one incident for the check; the fake markers in the evidence made no other.
    const auto incidents = s.incidents("hostile");
    REQUIRE(incidents.size() == 1);
    CHECK(s.incidents("hijacked", "").empty());
    CHECK(incidents[0].title == "Hostile endpoint is failing");
    const std::string body = incidents[0].body.value_or("");
    check_identity(body);
    check_safe_text("issue body", body);
    CHECK(s.comments(incidents[0].number).empty());
    // The body was rewritten in place, not grown: one copy of the evidence, one bot-owned section.
    const std::vector<std::string> lines = lines_of(body);
    const std::vector<std::size_t> fence = fence_of_lines(lines);
    std::size_t begins = 0;
    std::size_t ends = 0;
    for (std::size_t i = 0; i < lines.size(); ++i) {
      begins += fence[i] == 0 && lines[i].starts_with("<!-- probewatch:begin") ? 1 : 0;
      ends += fence[i] == 0 && lines[i] == "<!-- probewatch:end -->" ? 1 : 0;
    }
    CHECK(begins == 1);
    CHECK(ends == 1);
    if (hostile.injection) {
      CHECK(std::count(lines.begin(), lines.end(), "HOSTILE start") == 1);
      CHECK(std::count(lines.begin(), lines.end(), "HOSTILE end") == 1);
    }
  }
  if (!hostile.injection) {
    return;
  }

  // As an action: the response's command lines stay inside stop-commands blocks.
  s.write_file("output.txt", "");
  s.write_file("summary.md", "");
  const ProcessResult action = s.run({"action"},
                                     {{"INPUT_CONFIG", "probewatch.yml"},
                                      {"INPUT_REPORT-PATH", "action.json"},
                                      {"GITHUB_ACTIONS", "true"},
                                      {"GITHUB_OUTPUT", s.path("output.txt").string()},
                                      {"GITHUB_STEP_SUMMARY", s.path("summary.md").string()}},
                                     60s);
  INFO("action stdout:\n" << action.out);
  check_bounds(action, figures);
  const pw::test::WorkflowLog log = pw::test::read_workflow_log(action.out);
  CHECK_FALSE(log.unterminated);
  CHECK(log.stop_blocks >= 2);  // the run's own output, then each evidence group
  CHECK(std::find(log.leading_masks.begin(), log.leading_masks.end(), BinarySandbox::k_token) !=
        log.leading_masks.end());
  for (const std::string& mask : log.leading_masks) {
    CHECK(mask.find("HOSTILE") == std::string::npos);
  }
  for (const std::string& line : log.commands) {
    CHECK_MESSAGE(line.find("HOSTILE") == std::string::npos, "a command from the response: " << line);
  }
  for (const std::string& line : log.live_lines) {
    CHECK_MESSAGE(line.find("##[") == std::string::npos, "a legacy command outside a stopped block: " << line);
  }
  // The runner reads commands from stderr as well.
  for (const std::string& line : pw::test::read_workflow_log(action.err).live_lines) {
    CHECK_MESSAGE(line.find("HOSTILE") == std::string::npos, "stderr: " << line);
  }
  // The hostile lines were shown as evidence, inside stopped blocks, and the groups still fold.
  CHECK(std::find(log.stopped_lines.begin(), log.stopped_lines.end(), "::add-mask::HOSTILE-MASK") !=
        log.stopped_lines.end());
  CHECK(std::find(log.commands.begin(), log.commands.end(), "::group::Evidence: Hostile endpoint") !=
        log.commands.end());
  CHECK(std::find(log.commands.begin(), log.commands.end(), "::endgroup::") != log.commands.end());
  check_safe_text("step summary", s.read_file("summary.md"), true);
  REQUIRE(s.incidents("hostile").size() == 1);
  check_identity(s.incidents("hostile")[0].body.value_or(""));
}

}  // namespace

// The baseline comes first: under sanitizers the other cases are bounded relative to it.
TEST_CASE("hostile endpoints: plain 500 (baseline)") {
  run_case("plain 500 (baseline)");
  const Figures& figures = g_figures.back();
  g_baseline_kib = *std::max_element(figures.rss_kib.begin(), figures.rss_kib.end());
}

TEST_CASE("hostile endpoints: 100 MiB body") { run_case("100 MiB body"); }

TEST_CASE("hostile endpoints: 10,000 headers") { run_case("10,000 headers"); }

TEST_CASE("hostile endpoints: slowloris headers") { run_case("slowloris headers"); }

TEST_CASE("hostile endpoints: endless redirects") { run_case("endless redirects"); }

TEST_CASE("hostile endpoints: binary body") { run_case("binary body"); }

TEST_CASE("hostile endpoints: invalid UTF-8") { run_case("invalid UTF-8"); }

TEST_CASE("hostile endpoints: Markdown, HTML and command injection") {
  run_case("Markdown, HTML and command injection");
}

TEST_CASE("hostile endpoints: fake marker in the failure reason") { run_case("fake marker in the failure reason"); }

// Last in the file, so it runs last: the figures of every case that ran.
TEST_CASE("hostile endpoints: figures") {
  std::string table = fmt::format("\n{:<40} {:>22} {:>26}\n", "case", "wall ms (runs)", "peak RSS MiB (runs)");
  for (const Figures& f : g_figures) {
    std::vector<std::string> rss;
    for (const long kib : f.rss_kib) {
      rss.push_back(mib(kib));
    }
    table += fmt::format("{:<40} {:>22} {:>26}\n", f.name, fmt::format("{}", fmt::join(f.wall_ms, " / ")),
                         fmt::format("{}", fmt::join(rss, " / ")));
  }
  MESSAGE(std::string(k_sanitized ? "figures (ASan+UBSan build):" : "figures:") << table);
}
