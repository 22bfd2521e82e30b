// integration.secret_leak: canary secrets in a URL query (${SECRET_IN_URL}), in request headers
// (${SECRET_IN_HEADER}), in redirect targets and error messages (${SECRET_IN_HOP}) and as the
// token (GITHUB_TOKEN) are run through the real binary in every mode (check, run, action). The
// canaries carry the characters Markdown, HTML and URL escaping change (@ # | & < > * _ ` \ "), so
// a secret escaped before it is redacted would show. The endpoint echoes the request URL and every
// request header back in its body and response headers, raw, JSON-escaped and percent-encoded,
// redirects with the canary in the Location (followed, and unusable: an error message quoting it),
// and answers 500 so incidents open with that evidence. No spelling of a canary may reach stdout, stderr, a report,
// the step summary, the outputs file, the local tracker's file or anything on the fake GitHub, in
// any spelling the redactor knows; the only exception is the
// ::add-mask:: lines that open the action's stdout (the runner masks those values in its log).
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <support/e2e/binary_sandbox.hpp>
#include <support/e2e/http_endpoint.hpp>
#include <support/e2e/workflow_log.hpp>

#include <doctest/doctest.h>
#include <fmt/format.h>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include <atomic>
#include <mutex>

using namespace std::chrono_literals;
using pw::test::BinarySandbox;
using pw::test::ProcessResult;

namespace {

const pw::test::BinaryPaths k_binaries{PROBEWATCH_BINARY, RUSAGE_EXEC_BINARY};

// Canaries with characters that JSON, HTML, Markdown and URL escaping change, so every spelling
// differs. (The URL canary has no "#": in a URL that starts the fragment, which is never sent.)
constexpr const char* k_url_secret = "pwUrl@Canary|7&<Kq>*_`Zx\\Wd";
constexpr const char* k_header_secret = "pwHdr#Canary@Q9|&<Vb>*_`\"Tm\\x";
constexpr const char* k_hop_secret = "pwHop@Canary#Rd|&<Lc>*_`\\y";
constexpr const char* k_token = BinarySandbox::k_token;

std::string json_escaped(std::string_view text, bool escape_slash) {
  std::string out;
  for (const char c : text) {
    if (c == '"' || c == '\\' || (c == '/' && escape_slash)) {
      out += '\\';
    }
    out += c;
  }
  return out;
}

std::string percent_encoded(std::string_view text, bool lower) {
  const char* hex = lower ? "0123456789abcdef" : "0123456789ABCDEF";
  std::string out;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (std::isalnum(byte) != 0 || c == '-' || c == '_' || c == '.' || c == '~') {
      out += c;
    } else {
      out += '%';
      out += hex[byte >> 4];
      out += hex[byte & 15];
    }
  }
  return out;
}

std::string percent_decoded(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() && std::isxdigit(static_cast<unsigned char>(text[i + 1])) != 0 &&
        std::isxdigit(static_cast<unsigned char>(text[i + 2])) != 0) {
      out += static_cast<char>(std::stoi(std::string(text.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

// Every spelling of a secret that must never show: as is, JSON-escaped (with and without "\/"),
// and percent-encoded (upper- and lower-case hex).
std::vector<std::string> spellings(std::string_view secret) {
  std::vector<std::string> out;
  for (std::string form : {std::string(secret), json_escaped(secret, true), json_escaped(secret, false),
                           percent_encoded(secret, false), percent_encoded(secret, true)}) {
    if (std::find(out.begin(), out.end(), form) == out.end()) {
      out.push_back(std::move(form));
    }
  }
  return out;
}

std::string neutralized(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    out += text[i];
    if ((text[i] == '@' || text[i] == '#') && i + 1 < text.size() && (std::isalnum(text[i + 1]) != 0)) {
      out += "\xE2\x80\x8B";
    }
  }
  return out;
}

std::vector<std::string> escaped_spellings(std::string_view secret) {
  std::string markdown;
  std::string inline_form;
  std::string html;
  std::string target;
  for (const char c : neutralized(secret)) {
    if (std::string_view("\\`*_[]()#|~!><&").find(c) != std::string_view::npos) {
      markdown += '\\';
    }
    markdown += c;
    inline_form += c == '|' ? '/' : c;
  }
  for (const char c : secret) {
    html += c == '&' ? "&amp;" : c == '<' ? "&lt;" : c == '>' ? "&gt;" : c == '"' ? "&quot;" : std::string(1, c);
    if (std::string_view("\"<>\\^`{|}%").find(c) != std::string_view::npos) {
      target += fmt::format("%{:02X}", static_cast<unsigned char>(c));
    } else {
      target += c;
    }
  }
  return {neutralized(secret), markdown, inline_form, html, target};
}

const std::vector<std::string>& all_spellings() {
  static const std::vector<std::string> forms = [] {
    std::vector<std::string> out;
    for (const char* secret : {k_url_secret, k_header_secret, k_hop_secret, k_token}) {
      for (std::string& form : spellings(secret)) {
        out.push_back(std::move(form));
      }
      // The forms escaping makes: Markdown's zero-width space after "@"/"#", its backslash escapes,
      // inline code's "|" as "/", HTML entities, and the request-target encoding.
      for (std::string& form : escaped_spellings(secret)) {
        out.push_back(std::move(form));
      }
    }
    return out;
  }();
  return forms;
}

// Fails naming `where` and the spelling for each canary spelling found in `text`.
void check_clean(const std::string& where, const std::string& text) {
  for (const std::string& form : all_spellings()) {
    const std::size_t at = text.find(form);
    CHECK_MESSAGE(at == std::string::npos,
                  where << " leaks " << form << " at " << at << ": …"
                        << text.substr(at == std::string::npos ? 0 : at - std::min<std::size_t>(at, 80), 200) << "…");
  }
}

// The endpoint: echoes the request target and every request header in a JSON body and in
// X-Echo-Request-* response headers (kept as evidence), in every spelling.
struct EchoService {
  std::atomic<int> status{500};
  mutable std::mutex mutex;
  std::vector<std::string> seen;  // every request as received: target and headers

  pw::test::HttpEndpoint endpoint{[this](const httplib::Request& request, httplib::Response& response) {
    std::string received = request.target + "\n";
    std::string headers_json;
    int n = 0;
    const int answer = status.load();
    // While failing, the echoed URL gets a suffix, so the json and header expectations fail too, and
    // their messages quote values that hold the secret.
    // The target arrives encoded as a request target must be ("|" as %7C); the echo decodes it, so
    // the body carries the canary both ways.
    const std::string echoed = percent_decoded(request.target) + (answer == 200 ? "" : "#down");
    response.set_header("X-Echo-Request-Url", echoed);
    response.set_header("X-Echo-Request-Url-Encoded", percent_encoded(request.target, false));
    for (const auto& [name, value] : request.headers) {
      received += name + ": " + value + "\n";
      headers_json +=
          fmt::format(R"({}"{}":{{"raw":"{}","json":"{}","pct":"{}","pct_lower":"{}"}})",
                      headers_json.empty() ? "" : ",", json_escaped(name, true), json_escaped(value, false),
                      json_escaped(value, true), percent_encoded(value, false), percent_encoded(value, true));
      response.set_header(fmt::format("X-Echo-Request-Header-{}", n++), name + "=" + value);
    }
    {
      const std::lock_guard lock(mutex);
      seen.push_back(received);
    }
    // "raw" is JSON-escaped as little as JSON allows (no "\/"), "json" the most, so the body
    // carries the raw, both JSON and both percent spellings of every value.
    const std::string body =
        fmt::format(R"({{"url":"{}","url_json":"{}","url_pct":"{}","url_pct_lower":"{}","headers":{{{}}}}})"
                    "\n",
                    json_escaped(echoed, false), json_escaped(request.target, true),
                    percent_encoded(request.target, false), percent_encoded(request.target, true), headers_json);
    response.status = answer;
    response.set_content(body, "application/json");
    // Redirects whose Location carries the (decoded) canary from the query: one followed to a
    // failing landing page, one unusable, so the error message quotes it.
    if (request.path == "/hop") {
      response.status = 302;
      response.set_header("Location", "/landing?from=" + request.get_param_value("next"));
    } else if (request.path == "/bad-hop") {
      response.status = 302;
      response.set_header("Location", "ftp://files.invalid/?from=" + request.get_param_value("next"));
    }
  }};

  std::vector<std::string> requests() const {
    const std::lock_guard lock(mutex);
    return seen;
  }
};

std::string config_for(const EchoService& service) {
  return fmt::format(
      "defaults: {{ timeout: 10s, retries: 0 }}\n"
      // Every run rewrites and every change comments, so each kind of text carries evidence.
      "issues: {{ refresh: 0s, change_throttle: 0s }}\n"
      "checks:\n"
      "  - id: echo\n"
      "    name: Echo service\n"
      "    url: {}?key=${{SECRET_IN_URL}}&plain=1\n"
      "    headers:\n"
      "      X-Api-Key: \"${{SECRET_IN_HEADER}}\"\n"
      "      Authorization: \"Bearer ${{SECRET_IN_HEADER}}\"\n"
      "    expect:\n"
      "      status: 200\n"
      "      json: {{ /url: \"/echo?key=${{SECRET_IN_URL}}&plain=1\" }}\n"
      "      headers: {{ x-echo-request-url: \"plain=1$\" }}\n"
      "  - id: hop\n"
      "    name: Hop\n"
      "    url: {}?next=${{SECRET_IN_HOP_PCT}}\n"
      "    headers: {{ X-Hop: \"${{SECRET_IN_HOP}}\" }}\n"
      "  - id: bad-hop\n"
      "    name: Bad hop\n"
      "    url: {}?next=${{SECRET_IN_HOP_PCT}}\n"
      "    headers: {{ X-Hop: \"${{SECRET_IN_HOP}}\" }}\n",
      service.endpoint.url("/echo"), service.endpoint.url("/hop"), service.endpoint.url("/bad-hop"));
}

// The hop canary travels percent-encoded in the query, so the server decodes it whole ("#" and "&"
// included) and puts it raw into the Location.
const std::map<std::string, std::string> k_secrets{{"SECRET_IN_URL", k_url_secret},
                                                   {"SECRET_IN_HEADER", k_header_secret},
                                                   {"SECRET_IN_HOP", k_hop_secret},
                                                   {"SECRET_IN_HOP_PCT", percent_encoded(k_hop_secret, false)}};

// Checks every issue and comment on the fake, field by field and as the whole dump.
void check_github_clean(const BinarySandbox& s) {
  const nlohmann::json dump = s.github.dump();
  check_clean("the fake GitHub's dump", dump.dump());
  for (const auto& issue : s.github.issues(BinarySandbox::k_repo)) {
    check_clean(fmt::format("issue #{} title", issue.number), issue.title);
    check_clean(fmt::format("issue #{} body", issue.number), issue.body.value_or(""));
    for (const auto& label : issue.labels) {
      check_clean(fmt::format("issue #{} label", issue.number), label);
    }
    for (const auto& comment : s.comments(issue.number)) {
      check_clean(fmt::format("comment {} on #{}", comment.id, issue.number), comment.body);
    }
  }
}

void check_run_clean(const std::string& what, const ProcessResult& result) {
  INFO(what << ": " << result.describe());
  CHECK_FALSE(result.timed_out);
  CHECK(result.signal == 0);
  check_clean(what + " stderr", result.err);
}

}  // namespace

TEST_CASE("secret leak: canaries never leave the binary, in check, run and action modes") {
  EchoService service;
  BinarySandbox s(k_binaries);
  s.write_file("probewatch.yml", config_for(service));

  // check: probe only.
  const ProcessResult check = s.run({"check", "--config", "probewatch.yml", "--report", "check.json"}, k_secrets);
  check_run_clean("check", check);
  CHECK(check.exit_code == 1);
  check_clean("check stdout", check.out);
  check_clean("check report", s.read_file("check.json"));
  CHECK(s.read_file("check.json").find("key=***") != std::string::npos);

  // run: the incident opens with the echoed evidence.
  const ProcessResult run = s.run({"run", "--config", "probewatch.yml", "--report", "run.json"}, k_secrets);
  check_run_clean("run", run);
  CHECK(run.exit_code == 1);
  check_clean("run stdout", run.out);
  check_clean("run report", s.read_file("run.json"));
  // The failure messages quote the secret-bearing values, redacted.
  const auto run_report = nlohmann::json::parse(s.read_file("run.json"));
  CHECK(run_report["checks"][0]["url"] == service.endpoint.url("/echo") + "?key=***&plain=1");
  CHECK(run_report["checks"][0]["failed_expectations"] ==
        nlohmann::json::array({"status 500 not in [200]",
                               R"(/url is "/echo?key=***&plain=1#down", expected "/echo?key=***&plain=1")",
                               R"(header x-echo-request-url is "/echo?key=***&plain=1#down", expected /plain=1$/)"}));
  CHECK(run_report["checks"][2]["error"].get<std::string>().find("ftp://files.invalid/?from=***") != std::string::npos);
  REQUIRE(s.incidents("bad-hop").size() == 1);
  CHECK(s.incidents("bad-hop")[0].body.value_or("").find("from=***") != std::string::npos);
  const auto opened = s.incidents("echo");
  REQUIRE(opened.size() == 1);
  const std::string body = opened[0].body.value_or("");
  CHECK(body.find("key=***") != std::string::npos);    // redacted, not missing: the URL is there
  CHECK(body.find("X-Api-Key") != std::string::npos);  // and so is the echoed evidence
  check_github_clean(s);

  // action: a changed failure (500 -> 502) makes a comment with fresh evidence.
  service.status = 502;
  s.write_file("output.txt", "");
  s.write_file("summary.md", "");
  std::map<std::string, std::string> action_env = k_secrets;
  action_env["INPUT_CONFIG"] = "probewatch.yml";
  action_env["INPUT_REPORT-PATH"] = "action.json";
  action_env["INPUT_TOKEN"] = k_token;
  action_env["INPUT_API-URL"] = s.server.url();
  action_env["GITHUB_OUTPUT"] = s.path("output.txt").string();
  action_env["GITHUB_STEP_SUMMARY"] = s.path("summary.md").string();
  action_env["GITHUB_ACTIONS"] = "true";
  action_env["GITHUB_RUN_ID"] = "4242";
  const ProcessResult action = s.run({"action"}, action_env);
  check_run_clean("action", action);
  INFO("action stdout:\n" << action.out);
  CHECK(action.exit_code == 1);
  const pw::test::WorkflowLog log = pw::test::read_workflow_log(action.out);
  // The masks come first and cover the token and every substituted value...
  for (const char* secret : {k_token, k_url_secret, k_header_secret}) {
    CHECK(std::find(log.leading_masks.begin(), log.leading_masks.end(), secret) != log.leading_masks.end());
  }
  // ...and nothing after them shows any spelling of a canary.
  std::string after_masks;
  bool leading = true;
  for (const std::string& line : log.live_lines) {
    if (leading && line.starts_with("::add-mask::")) {
      continue;
    }
    leading = false;
    CHECK_MESSAGE(!line.starts_with("::add-mask::"), "a mask after other output: " << line);
    after_masks += line + "\n";
  }
  for (const std::string& line : log.stopped_lines) {
    after_masks += line + "\n";
  }
  check_clean("action stdout after the masks", after_masks);
  check_clean("action report", s.read_file("action.json"));
  check_clean("step summary", s.read_file("summary.md"));
  check_clean("outputs file", s.read_file("output.txt"));
  CHECK(s.read_file("summary.md").find("Echo service") != std::string::npos);
  CHECK(s.read_file("output.txt").find("failing<<") != std::string::npos);
  REQUIRE(s.comments(opened[0].number).size() == 1);  // "the failure changed", with evidence
  check_github_clean(s);

  // Recovered: the closing comment carries the final (echoing) evidence too.
  service.status = 200;
  const ProcessResult recovered = s.run({"run", "--config", "probewatch.yml"}, k_secrets);
  check_run_clean("recovery run", recovered);
  check_clean("recovery run stdout", recovered.out);
  CHECK(s.github.issue(BinarySandbox::k_repo, opened[0].number)->state == "closed");
  check_github_clean(s);

  // The endpoint got the URL (encoded as a request target must be) and header secrets it was
  // configured with, and never the token.
  const auto requests = service.requests();
  REQUIRE(requests.size() >= 4);
  int echoes = 0;
  for (const std::string& request : requests) {
    CHECK(request.find(k_token) == std::string::npos);
    if (!request.starts_with("/echo")) {
      continue;
    }
    ++echoes;
    CHECK(request.find(escaped_spellings(k_url_secret).back()) != std::string::npos);
    CHECK(request.find(k_header_secret) != std::string::npos);
  }
  CHECK(echoes >= 4);

  // The local tracker's file holds the same evidence, redacted.
  const ProcessResult local =
      s.run({"run", "--config", "probewatch.yml", "--tracker", "local:incidents.json"}, k_secrets);
  check_run_clean("local run", local);
  check_clean("local run stdout", local.out);
  const std::string tracker_file = s.read_file("incidents.json");
  CHECK(tracker_file.find("Bad hop") != std::string::npos);
  CHECK(tracker_file.find("unsupported scheme") != std::string::npos);
  check_clean("local tracker file", tracker_file);
}

TEST_CASE("secret leak: public variables stay readable; a secret too short to redact is a config error") {
  // The README's deploy check: json: { /version: "${GITHUB_SHA}" }; GITHUB_SHA is public.
  pw::test::HttpEndpoint app([](const httplib::Request&, httplib::Response& response) {
    response.set_content(R"({"version":"abc123"})", "application/json");
  });
  BinarySandbox s(k_binaries);
  s.write_file("probewatch.yml",
               "public: [API_HOST]\ndefaults: { retries: 0 }\nchecks:\n  - id: app\n    url: " + app.url("/version") +
                   "?host=${API_HOST}\n    expect: { json: { /version: \"${GITHUB_SHA}\" } }\n");
  const ProcessResult check = s.run({"check", "--config", "probewatch.yml", "--report", "check.json"},
                                    {{"GITHUB_SHA", "def456"}, {"API_HOST", "api.example.test"}});
  INFO(check.describe() << "\n" << check.out << check.err);
  CHECK(check.exit_code == 1);
  const auto report = nlohmann::json::parse(s.read_file("check.json"));
  CHECK(report["checks"][0]["url"] == app.url("/version") + "?host=api.example.test");
  CHECK(report["checks"][0]["failed_expectations"] ==
        nlohmann::json::array({R"(/version is "abc123", expected "def456")"}));
  CHECK(check.out.find(R"(/version is "abc123", expected "def456")") != std::string::npos);

  const ProcessResult short_secret =
      s.run({"validate", "--config", "probewatch.yml"}, {{"GITHUB_SHA", "def456"}, {"API_HOST", "api.example.test"}});
  CHECK(short_secret.exit_code == 0);
  s.write_file("short.yml", "checks:\n  - id: app\n    url: " + app.url("/${ENV_NAME}") + "\n");
  const ProcessResult rejected = s.run({"validate", "--config", "short.yml"}, {{"ENV_NAME", "s"}});
  CHECK(rejected.exit_code == 2);
  CHECK(rejected.err ==
        "short.yml:3:10: in \"url\": the value of ENV_NAME is a secret of 1 character, too short to redact without "
        "garbling the output; if it is not secret, declare it public (public: [ENV_NAME]), otherwise use a value of "
        "at least 4 characters\n");
}
