#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace pw::test {

// A step's stdout read the way the GitHub Actions runner reads it: a line whose text (after leading
// whitespace) starts with "::" is a workflow command, except between "::stop-commands::TOKEN" and
// "::TOKEN::", where every line is printed as is.
struct WorkflowLog {
  std::vector<std::string> leading_masks;  // the values of the ::add-mask:: lines before any other line
  std::vector<std::string> commands;       // every other line the runner would take as a command
  std::vector<std::string> live_lines;     // every line outside stop-commands blocks, commands included
  std::vector<std::string> stopped_lines;  // lines inside stop-commands blocks
  int stop_blocks = 0;                     // how many blocks were opened
  bool unterminated = false;               // a block was still open at the end
};

// Splits `out` into what the runner would act on and what it would print.
WorkflowLog read_workflow_log(std::string_view out);

}  // namespace pw::test
