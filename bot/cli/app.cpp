#include <bot/cli/app.hpp>

#include <bot/action/deployment_event.hpp>
#include <bot/cli/commands.hpp>
#include <bot/config/load.hpp>
#include <bot/model/proxy.hpp>

#include <fmt/format.h>

namespace pw {

bool load_time_zones(Config& config, AppContext& context) {
  const std::string folder = lookup(context.env, "TZDIR").value_or("/usr/share/zoneinfo");
  bool ok = true;
  for (const MaintenanceWindow& window : config.maintenance) {
    if (window.timezone == "UTC" || config.time_zones.count(window.timezone) != 0) {
      continue;
    }
    const SourceLocation& at = window.timezone_location;
    const std::string path = folder + "/" + window.timezone;
    auto bytes = context.files.read(path);
    if (!bytes) {
      context.err << fmt::format(
          "{}:{}:{}: \"timezone\": unknown time zone \"{}\" ({}); use a tz database name "
          "such as Europe/Berlin, or set TZDIR to the folder of the zone files\n",
          at.file, at.line, at.column, window.timezone, bytes.error().message);
      ok = false;
      continue;
    }
    auto zone = TimeZone::from_tzif(*bytes, window.timezone);
    if (!zone) {
      context.err << fmt::format("{}:{}:{}: \"timezone\": {}\n", at.file, at.line, at.column, zone.error().message);
      ok = false;
      continue;
    }
    config.time_zones.emplace(window.timezone, std::move(*zone));
  }
  return ok;
}

std::optional<Config> load_config_for(const Options& options, AppContext& context) {
  auto text = context.files.read(options.config);
  if (!text) {
    context.err << fmt::format("probewatch: {}\n", text.error().message);
    if (!options.config_given) {
      context.err << "probewatch: pass --config FILE, or create .github/probewatch.yml\n";
    }
    return std::nullopt;
  }
  // A deployment_status run gives the config its deployment as public PROBEWATCH_DEPLOY_* variables
  // (a variable already set wins, so a terminal can set them by hand).
  auto deployment = deployment_of_run(context.env, context.files);
  if (!deployment) {
    context.err << fmt::format("probewatch: {}\n", deployment.error().message);
    return std::nullopt;
  }
  Environment env = context.env;
  if (*deployment) {
    for (auto& [name, value] : deployment_variables(**deployment)) {
      env.emplace(name, std::move(value));
    }
  }
  auto config = load_config(*text, options.config, env);
  if (!config) {
    context.err << config.error().message << "\n";
    return std::nullopt;
  }
  // Proxy passwords from the environment are secrets like the config's (and masked with them).
  const ProxySettings proxies = proxy_settings_from(context.env);
  for (const auto* proxy : {&proxies.http, &proxies.https}) {
    if (*proxy && **proxy) {
      for (const std::string& secret : proxy_secrets(***proxy)) {
        config->secrets.add(secret);
      }
    }
  }
  // A file a setting names must be there now, or every run would report it as an incident.
  bool files_ok = true;
  for (const FileReference& file : config->files) {
    if (auto read = context.files.read(file.path); !read) {
      context.err << config->secrets.apply(fmt::format("{}:{}:{}: \"{}\": {}; {}", file.location.file,
                                                       file.location.line, file.location.column, file.key,
                                                       read.error().message, file.hint))
                  << "\n";
      files_ok = false;
    }
  }
  if (!files_ok || !load_time_zones(*config, context)) {
    return std::nullopt;
  }
  return std::move(*config);
}

std::optional<TemplateSet> load_templates_for(const Config& config, AppContext& context) {
  if (!config.issues.templates) {
    return TemplateSet::defaults();
  }
  auto files = context.files.read_folder(*config.issues.templates);
  if (!files) {
    context.err << fmt::format("probewatch: issues.templates: {}\n", files.error().message);
    return std::nullopt;
  }
  auto set = TemplateSet::with_overrides(*files, *config.issues.templates);
  if (!set) {
    context.err << fmt::format("probewatch: {}\n", set.error().message);
    return std::nullopt;
  }
  return std::move(*set);
}

int run_app(const std::vector<std::string>& args, AppContext& context) {
  const ParsedCommandLine parsed = parse_command_line(args);
  if (!parsed.options) {
    (parsed.exit_code == 0 ? context.out : context.err) << parsed.text;
    return parsed.exit_code;
  }
  const Options& options = *parsed.options;
  if (options.command == "check") {
    return command_check(options, context);
  }
  if (options.command == "run") {
    return command_run(options, context);
  }
  if (options.command == "watch") {
    return command_watch(options, context);
  }
  if (options.command == "validate") {
    return command_validate(options, context);
  }
  if (options.command == "schema") {
    return command_schema(context);
  }
  if (options.command == "triage") {
    return command_triage(options, context);
  }
  if (options.command == "action") {
    return command_action(context);
  }
  if (options.command == "show") {
    return command_show(options, context);
  }
  if (options.command == "import") {
    return command_import(options, context);
  }
  if (options.command == "status-page") {
    return command_status_page(options, context);
  }
  context.err << fmt::format("probewatch: unknown command {}\n", options.command);
  return k_exit_usage;
}

}  // namespace pw
