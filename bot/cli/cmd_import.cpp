#include <bot/cli/commands.hpp>
#include <bot/import/import.hpp>

#include <fmt/format.h>

namespace pw {

int command_import(const Options& options, AppContext& context) {
  auto text = context.files.read(options.import_file);
  if (!text) {
    context.err << fmt::format("probewatch: {}\n", text.error().message);
    return k_exit_usage;
  }
  auto config = options.import_format == "upptime" ? import_upptime(*text, options.import_file)
                                                   : import_gatus(*text, options.import_file);
  if (!config) {
    context.err << fmt::format("probewatch: {}\n", config.error().message);
    return k_exit_usage;
  }
  context.out << *config;
  return k_exit_ok;
}

}  // namespace pw
