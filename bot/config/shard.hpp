#pragma once

#include <bot/core/error.hpp>

#include <string>
#include <string_view>

namespace pw {

// One slice of the checks for a matrix of jobs: index in 1..count.
struct Shard {
  int index = 1;
  int count = 1;
  // Returns true when the check with this id belongs to this shard. Stable across runs and
  // config reordering: it depends only on the id.
  bool contains(std::string_view check_id) const;
  // Returns "I/N", the scope written into markers; empty for the whole set.
  std::string scope() const;
};

// Parses "I/N" with 1 <= I <= N <= 1000.
Expected<Shard> parse_shard(std::string_view text);

}  // namespace pw
