#include <bot/cli/commands.hpp>
#include <bot/config/schema.hpp>

#include <fmt/format.h>

namespace pw {

int command_validate(const Options& options, AppContext& context) {
  auto config = load_config_for(options, context);
  if (!config) {
    return k_exit_usage;
  }
  if (!load_templates_for(*config, context)) {
    return k_exit_usage;
  }
  context.out << fmt::format("{}: ok, {} check{}\n", options.config, config->checks.size(),
                             config->checks.size() == 1 ? "" : "s");
  return k_exit_ok;
}

int command_schema(AppContext& context) {
  context.out << config_schema() << "\n";
  return k_exit_ok;
}

}  // namespace pw
