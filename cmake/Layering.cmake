# The layering, as rules the configure checks (cmake/LayeringCheck.cmake): a rule
# probewatch_never_links(A B...) fails the configure when A's transitive link closure reaches
# any of B, naming the path. tests/layering/ adds the link half: each pure module is linked
# alone, whole archive, so one that needs a symbol from a library it does not declare fails to
# link, and a test configures a broken graph and asserts the message.
include(${CMAKE_CURRENT_LIST_DIR}/LayeringCheck.cmake)

# Sockets, TLS and GitHub: only the prober, the trackers and the edges may reach these.
set(probewatch_io_targets pw_probe github_client PkgConfig::HTTPLIB OpenSSL::SSL OpenSSL::Crypto)
# Orchestration and the edges, which sit above every pure module.
set(probewatch_edge_targets pw_tracker pw_incidents pw_action pw_triage pw_cli)
# The bot's modules, none of which github_client (a library of its own) or pw_base may reach.
set(probewatch_bot_targets
  pw_core pw_model pw_config pw_probe pw_expect pw_diagnose pw_reconcile pw_render pw_report
  ${probewatch_edge_targets} pw_import)

# The bottom: pw_base links fmt and nothing of ours; github_client nothing of the bot's.
probewatch_never_links(pw_base ${probewatch_bot_targets}
  ${probewatch_io_targets} probewatch_yaml_cpp probewatch_pcre2 nlohmann_json::nlohmann_json)
probewatch_never_links(github_client ${probewatch_bot_targets})

# bot/core is the bot's own bottom: no other module, no I/O library.
list(REMOVE_ITEM probewatch_bot_targets pw_core)
probewatch_never_links(pw_core ${probewatch_bot_targets} ${probewatch_io_targets})

# The model (Check, Evidence, CheckResult) is what every stage passes on: pure data, below them.
probewatch_never_links(pw_model pw_config pw_expect pw_diagnose pw_reconcile pw_render pw_report
  ${probewatch_io_targets} ${probewatch_edge_targets})

# The pure stages never link the prober, the GitHub client, httplib/OpenSSL or an edge.
foreach(module pw_config pw_expect pw_diagnose pw_reconcile pw_report pw_render pw_import)
  probewatch_never_links(${module} ${probewatch_io_targets} ${probewatch_edge_targets})
endforeach()
