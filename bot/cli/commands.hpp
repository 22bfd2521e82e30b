#pragma once

#include <bot/cli/app.hpp>
#include <bot/cli/options.hpp>
#include <bot/config/config.hpp>
#include <bot/render/templates.hpp>

#include <optional>

namespace pw {

// Reads the zone file of every time zone the maintenance windows name (TZDIR, or
// /usr/share/zoneinfo) into config.time_zones; prints each failure as file:line:col and returns
// false then.
bool load_time_zones(Config& config, AppContext& context);

// Reads and validates the config named by `options`; prints the errors and returns nullopt on failure.
std::optional<Config> load_config_for(const Options& options, AppContext& context);

// Loads the templates the config names (defaults when none); prints the error and returns nullopt.
std::optional<TemplateSet> load_templates_for(const Config& config, AppContext& context);

// Returns the config instance's identity: `id:` when set, else the config file's path relative to
// the repository root (GITHUB_WORKSPACE in Actions, else the nearest folder holding .git).
std::string config_identity(const Config& config, const Environment& env);

int command_check(const Options& options, AppContext& context);
int command_run(const Options& options, AppContext& context);
int command_watch(const Options& options, AppContext& context);
int command_validate(const Options& options, AppContext& context);
int command_schema(AppContext& context);
int command_triage(const Options& options, AppContext& context);
int command_action(AppContext& context);
int command_import(const Options& options, AppContext& context);
// Prints one incident (issue `options.issue`) for a person, or as JSON with --json.
int command_show(const Options& options, AppContext& context);
// Writes the static status page (index.html and status.json) into `options.out` from the tracker's
// dashboard and incidents.
int command_status_page(const Options& options, AppContext& context);

}  // namespace pw
