#pragma once

#include <expected>
#include <string>
#include <utility>

namespace pw {

// A failure a person can act on: what happened, where, and what to do.
struct Error {
  std::string message;
};

template <class T>
using Expected = std::expected<T, Error>;

// Returns an unexpected Error carrying `message`.
inline std::unexpected<Error> fail(std::string message) { return std::unexpected(Error{std::move(message)}); }

}  // namespace pw
