#pragma once

#include <string>

namespace pw {

// What a healthy response from a host looked like, remembered between runs for diagnosis ("the
// edge answered, not the application").
struct HealthyFingerprint {
  std::string server;             // the Server header of the last passing response
  std::string request_id_header;  // the request-id header it carried, if any

  bool operator==(const HealthyFingerprint&) const = default;
};

}  // namespace pw
