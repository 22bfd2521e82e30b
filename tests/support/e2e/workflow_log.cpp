#include <support/e2e/workflow_log.hpp>

#include <sstream>

namespace pw::test {

WorkflowLog read_workflow_log(std::string_view out) {
  WorkflowLog log;
  std::istringstream lines{std::string(out)};
  std::string stop_token;  // non-empty inside a stop-commands block
  bool leading = true;
  for (std::string line; std::getline(lines, line);) {
    if (!line.empty() && line.back() == '\r') {
      line.pop_back();
    }
    if (!stop_token.empty()) {
      if (line == "::" + stop_token + "::") {
        stop_token.clear();
      } else {
        log.stopped_lines.push_back(line);
      }
      continue;
    }
    log.live_lines.push_back(line);
    const std::size_t start = line.find_first_not_of(" \t");
    const std::string_view text =
        start == std::string::npos ? std::string_view() : std::string_view(line).substr(start);
    if (leading && text.starts_with("::add-mask::")) {
      log.leading_masks.emplace_back(text.substr(12));
      continue;
    }
    leading = false;
    if (text.starts_with("::")) {
      log.commands.push_back(line);
      if (text.starts_with("::stop-commands::")) {
        stop_token = std::string(text.substr(17));
        ++log.stop_blocks;
      }
    }
  }
  log.unterminated = !stop_token.empty();
  return log;
}

}  // namespace pw::test
