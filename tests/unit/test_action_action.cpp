#include <bot/action/inputs.hpp>
#include <bot/action/workflow_commands.hpp>

#include <doctest/doctest.h>

TEST_CASE("action: inputs arrive as INPUT_<NAME>, hyphens kept") {
  auto inputs = pw::read_action_inputs({{"INPUT_CONFIG", "ops/probewatch.yml"},
                                        {"INPUT_TOKEN", "t0ken"},
                                        {"INPUT_DRY-RUN", "TRUE"},
                                        {"INPUT_FAIL-ON", "new"},
                                        {"INPUT_REPORT-PATH", "out/report.json"},
                                        {"INPUT_API-URL", "https://ghe.example/api/v3"},
                                        {"INPUT_KEEP-ORPHANS", "false"},
                                        {"INPUT_SHARD", "2/4"},
                                        {"INPUT_WAIT", "5m"},
                                        {"INPUT_STATUS-PAGE", "_site"}});
  REQUIRE(inputs.has_value());
  CHECK(inputs->config == "ops/probewatch.yml");
  CHECK(inputs->token == "t0ken");
  CHECK(inputs->dry_run);
  CHECK(inputs->fail_on == "new");
  CHECK(inputs->report_path == "out/report.json");
  CHECK(inputs->api_url == "https://ghe.example/api/v3");
  CHECK_FALSE(inputs->keep_orphans);
  CHECK(inputs->shard == "2/4");
  CHECK(inputs->wait == "5m");
  CHECK(inputs->status_page == "_site");
  const auto defaults = pw::read_action_inputs({});
  CHECK(defaults->config == ".github/probewatch.yml");
  CHECK(defaults->report_path == "probewatch-report.json");
  CHECK(defaults->fail_on == "any");
}

TEST_CASE("action: bad inputs are named") {
  CHECK(pw::read_action_inputs({{"INPUT_DRY-RUN", "maybe"}}).error().message ==
        "input dry-run must be true or false, not \"maybe\"");
  CHECK(pw::read_action_inputs({{"INPUT_FAIL-ON", "sometimes"}}).error().message ==
        "input fail-on must be never, new or any, not \"sometimes\"");
  CHECK(pw::read_action_inputs({{"INPUT_WAIT", "banana"}}).error().message ==
        "input wait: invalid duration \"banana\"; write it like 250ms, 10s, 5m or 1h");
  CHECK(pw::read_action_inputs({{"INPUT_SHARD", "3/2"}}).error().message ==
        "input shard: must be I/N with 1 <= I <= N <= 1000, such as 2/10, not \"3/2\"");
  CHECK(pw::read_action_inputs({{"INPUT_TRACKER", "jira"}}).error().message ==
        "input tracker must be github or local:PATH, not \"jira\"");
}

TEST_CASE("action: workflow commands are escaped") {
  CHECK(pw::error_command("API: health, prod", "50% failed\nsee below") ==
        "::error title=API%3A health%2C prod::50%25 failed%0Asee below\n");
  CHECK(pw::notice_command("Incident opened", "#12") == "::notice title=Incident opened::#12\n");
  CHECK(pw::mask_command("a\nb") == "::add-mask::a%0Ab\n");
  CHECK(pw::group_command("Evidence: x") == "::group::Evidence: x\n");
}

TEST_CASE("action: outputs survive multi-line values") {
  CHECK(pw::output_entry("opened", "12,15") == "opened<<probewatch_EOF\n12,15\nprobewatch_EOF\n");
  CHECK(pw::output_entry("text", "a\nprobewatch_EOF\nb") ==
        "text<<probewatch_EOF_0\na\nprobewatch_EOF\nb\nprobewatch_EOF_0\n");
}
