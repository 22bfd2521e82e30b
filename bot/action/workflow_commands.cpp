#include <bot/action/workflow_commands.hpp>

#include <fmt/format.h>

namespace pw {

std::string escape_command_data(std::string_view text) {
  std::string out;
  for (const char c : text) {
    switch (c) {
      case '%': out += "%25"; break;
      case '\r': out += "%0D"; break;
      case '\n': out += "%0A"; break;
      default: out += c;
    }
  }
  return out;
}

std::string escape_command_property(std::string_view text) {
  std::string out;
  for (const char c : escape_command_data(text)) {
    switch (c) {
      case ':': out += "%3A"; break;
      case ',': out += "%2C"; break;
      default: out += c;
    }
  }
  return out;
}

std::string error_command(std::string_view title, std::string_view message) {
  return fmt::format("::error title={}::{}\n", escape_command_property(title), escape_command_data(message));
}

std::string notice_command(std::string_view title, std::string_view message) {
  return fmt::format("::notice title={}::{}\n", escape_command_property(title), escape_command_data(message));
}

std::string mask_command(std::string_view secret) {
  return fmt::format("::add-mask::{}\n", escape_command_data(secret));
}

std::string group_command(std::string_view title) { return fmt::format("::group::{}\n", escape_command_data(title)); }

std::string end_group_command() { return "::endgroup::\n"; }

std::string output_entry(std::string_view name, std::string_view value) {
  std::string delimiter = "probewatch_EOF";
  for (int i = 0; value.find(delimiter) != std::string_view::npos; ++i) {
    delimiter = fmt::format("probewatch_EOF_{}", i);
  }
  return fmt::format("{}<<{}\n{}\n{}\n", name, delimiter, value, delimiter);
}

}  // namespace pw
