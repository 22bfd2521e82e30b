#include <support/os.hpp>

#include <cerrno>
#include <cstdlib>
#include <string>
#include <system_error>

namespace pw::test {

std::filesystem::path make_temp_dir(std::string_view prefix) {
  std::string pattern = (std::filesystem::temp_directory_path() / (std::string(prefix) + "-XXXXXX")).string();
  if (::mkdtemp(pattern.data()) == nullptr) {
    throw_errno(("cannot create a temporary folder from " + pattern).c_str());
  }
  return pattern;
}

void throw_errno(const char* what) { throw std::system_error(errno, std::generic_category(), what); }

}  // namespace pw::test
