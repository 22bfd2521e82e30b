#pragma once

#include <bot/import/imported_config.hpp>

#include <bitset>
#include <string>

namespace pw::import_detail {

// The status codes the [STATUS] conditions of one endpoint allow, 100-599.
struct StatusSet {
  std::bitset<600> allowed;
  bool constrained = false;
  StatusSet();
  // Returns the allowed codes as "200" and "200-299" items, in order.
  std::vector<std::string> ranges() const;
};

// Translates one Gatus condition of an HTTP endpoint into `check` (status codes into `status`),
// or adds a note saying why it has no equivalent. Internal to the Gatus importer.
void translate_condition(const std::string& condition, ImportedCheck& check, StatusSet& status);

}  // namespace pw::import_detail
