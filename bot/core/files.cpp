#include <bot/core/files.hpp>

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace pw {

namespace {

constexpr std::uintmax_t k_max_read = 16 * 1024 * 1024;

Expected<void> make_parent(const std::string& path) {
  const std::filesystem::path parent = std::filesystem::path(path).parent_path();
  if (parent.empty()) {
    return {};
  }
  std::error_code ec;
  std::filesystem::create_directories(parent, ec);
  if (ec) {
    return fail(fmt::format("cannot create folder {}: {}", parent.string(), ec.message()));
  }
  return {};
}

}  // namespace

Expected<std::string> DiskFiles::read(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    return fail(fmt::format("cannot read {}: it is a folder", path));
  }
  const auto size = std::filesystem::file_size(path, ec);
  if (!ec && size > k_max_read) {
    return fail(fmt::format("cannot read {}: larger than 16 MiB", path));
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return fail(fmt::format("cannot read {}: {}", path, std::strerror(errno)));
  }
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

Expected<void> DiskFiles::write(const std::string& path, const std::string& content) {
  if (auto made = make_parent(path); !made) {
    return made;
  }
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << content;
  if (!out) {
    return fail(fmt::format("cannot write {}: {}", path, std::strerror(errno)));
  }
  return {};
}

Expected<void> DiskFiles::append(const std::string& path, const std::string& content) {
  if (auto made = make_parent(path); !made) {
    return made;
  }
  std::ofstream out(path, std::ios::binary | std::ios::app);
  out << content;
  if (!out) {
    return fail(fmt::format("cannot write {}: {}", path, std::strerror(errno)));
  }
  return {};
}

Expected<std::map<std::string, std::string>> DiskFiles::read_folder(const std::string& folder) {
  std::map<std::string, std::string> files;
  std::error_code ec;
  std::filesystem::directory_iterator it(folder, ec);
  if (ec) {
    return fail(fmt::format("cannot read folder {}: {}", folder, ec.message()));
  }
  for (const auto& entry : it) {
    if (!entry.is_regular_file(ec)) {
      continue;
    }
    auto text = read(entry.path().string());
    if (!text) {
      return std::unexpected(text.error());
    }
    files.emplace(entry.path().filename().string(), std::move(*text));
  }
  return files;
}

}  // namespace pw
