#pragma once

#include <bot/core/error.hpp>

#include <map>
#include <string>

namespace pw {

// File input and output at the edges (config, templates, report, GitHub Actions files), so
// commands can be tested against memory.
class Files {
 public:
  virtual ~Files() = default;
  // Returns the file's content; fails with "cannot read PATH: reason".
  virtual Expected<std::string> read(const std::string& path) = 0;
  // Replaces the file's content, creating parent folders.
  virtual Expected<void> write(const std::string& path, const std::string& content) = 0;
  // Appends to the file, creating it.
  virtual Expected<void> append(const std::string& path, const std::string& content) = 0;
  // Returns the regular files directly inside `folder` by name.
  virtual Expected<std::map<std::string, std::string>> read_folder(const std::string& folder) = 0;
};

// The real file system.
class DiskFiles final : public Files {
 public:
  Expected<std::string> read(const std::string& path) override;
  Expected<void> write(const std::string& path, const std::string& content) override;
  Expected<void> append(const std::string& path, const std::string& content) override;
  Expected<std::map<std::string, std::string>> read_folder(const std::string& folder) override;
};

}  // namespace pw
