#include <bot/config/shard.hpp>

#include <fmt/format.h>

#include <charconv>
#include <cstdint>

namespace pw {

namespace {

// FNV-1a: a fixed function of the bytes, the same on every machine and run.
std::uint64_t fnv1a(std::string_view text) {
  std::uint64_t hash = 14695981039346656037ULL;
  for (const char c : text) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 1099511628211ULL;
  }
  return hash;
}

}  // namespace

bool Shard::contains(std::string_view check_id) const {
  return count <= 1 || static_cast<int>(fnv1a(check_id) % static_cast<std::uint64_t>(count)) == index - 1;
}

std::string Shard::scope() const { return count <= 1 ? "" : fmt::format("{}/{}", index, count); }

Expected<Shard> parse_shard(std::string_view text) {
  const std::size_t slash = text.find('/');
  Shard shard;
  const auto bad = [&] {
    return fail(fmt::format("--shard must be I/N with 1 <= I <= N <= 1000, such as 2/10, not \"{}\"",
                            std::string(text.substr(0, 40))));
  };
  if (slash == std::string_view::npos) {
    return bad();
  }
  const std::string_view index = text.substr(0, slash);
  const std::string_view count = text.substr(slash + 1);
  const auto parsed_index = std::from_chars(index.data(), index.data() + index.size(), shard.index);
  const auto parsed_count = std::from_chars(count.data(), count.data() + count.size(), shard.count);
  if (parsed_index.ec != std::errc() || parsed_index.ptr != index.data() + index.size() ||
      parsed_count.ec != std::errc() || parsed_count.ptr != count.data() + count.size() || shard.index < 1 ||
      shard.count < shard.index || shard.count > 1000) {
    return bad();
  }
  return shard;
}

}  // namespace pw
