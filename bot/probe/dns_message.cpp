#include <bot/probe/dns_message.hpp>

#include <fmt/format.h>

#include <arpa/inet.h>

#include <array>

namespace pw {

namespace {

struct TypeName {
  std::uint16_t type;
  std::string_view name;
};

constexpr std::array<TypeName, 6> k_types = {
    {{1, "A"}, {28, "AAAA"}, {5, "CNAME"}, {15, "MX"}, {16, "TXT"}, {2, "NS"}}};

constexpr std::array<std::string_view, 6> k_rcodes = {"NOERROR",  "FORMERR", "SERVFAIL",
                                                      "NXDOMAIN", "NOTIMP",  "REFUSED"};

void put16(std::string& out, std::uint16_t value) {
  out += static_cast<char>(value >> 8);
  out += static_cast<char>(value & 0xFF);
}

class Reader {
 public:
  explicit Reader(std::string_view message) : m_message(message) {}

  bool u16(std::size_t at, std::uint16_t& value) const {
    if (at + 2 > m_message.size()) {
      return false;
    }
    value = static_cast<std::uint16_t>((byte(at) << 8) | byte(at + 1));
    return true;
  }
  bool u32(std::size_t at, std::uint32_t& value) const {
    std::uint16_t high = 0;
    std::uint16_t low = 0;
    if (!u16(at, high) || !u16(at + 2, low)) {
      return false;
    }
    value = (static_cast<std::uint32_t>(high) << 16) | low;
    return true;
  }
  // Reads a possibly compressed name at `at`; `end` is set past it in the message.
  bool name(std::size_t at, std::string& out, std::size_t& end) const {
    out.clear();
    bool jumped = false;
    int jumps = 0;
    for (;;) {
      if (at >= m_message.size()) {
        return false;
      }
      const unsigned length = byte(at);
      if ((length & 0xC0) == 0xC0) {
        if (at + 1 >= m_message.size() || ++jumps > 16) {
          return false;
        }
        if (!jumped) {
          end = at + 2;
        }
        jumped = true;
        at = ((length & 0x3F) << 8) | byte(at + 1);
        continue;
      }
      if (length == 0) {
        if (!jumped) {
          end = at + 1;
        }
        return true;
      }
      if (at + 1 + length > m_message.size() || out.size() > 255) {
        return false;
      }
      // Appended piece by piece: "." + temporary gets a false -Wrestrict from GCC 12 at -O3 (bug 105329).
      if (!out.empty()) {
        out += '.';
      }
      out += m_message.substr(at + 1, length);
      at += 1 + length;
    }
  }
  std::string_view bytes(std::size_t at, std::size_t length) const { return m_message.substr(at, length); }
  std::size_t size() const { return m_message.size(); }

 private:
  unsigned byte(std::size_t at) const { return static_cast<unsigned char>(m_message[at]); }
  std::string_view m_message;
};

// Returns the record's data as text, or nullopt for a type we do not show.
std::optional<std::string> rdata_text(const Reader& reader, std::uint16_t type, std::size_t at, std::size_t length) {
  std::string name;
  std::size_t end = 0;
  switch (type) {
    case 1:
    case 28: {
      const std::string_view raw = reader.bytes(at, length);
      if ((type == 1 && length != 4) || (type == 28 && length != 16)) {
        return std::nullopt;
      }
      char text[INET6_ADDRSTRLEN] = {};
      ::inet_ntop(type == 1 ? AF_INET : AF_INET6, raw.data(), text, sizeof(text));
      return std::string(text);
    }
    case 5:
    case 2:
      if (!reader.name(at, name, end)) {
        return std::nullopt;
      }
      return name.empty() ? "." : name;  // the root, written as DNS tools write it
    case 15: {
      std::uint16_t preference = 0;
      if (!reader.u16(at, preference) || !reader.name(at + 2, name, end)) {
        return std::nullopt;
      }
      return fmt::format("{} {}", preference, name.empty() ? "." : name);
    }
    case 16: {
      std::string text;
      std::size_t i = 0;
      const std::string_view raw = reader.bytes(at, length);
      while (i < raw.size()) {
        const std::size_t part = static_cast<unsigned char>(raw[i]);
        text += std::string(raw.substr(i + 1, part));
        i += 1 + part;
      }
      return text;
    }
    default: return std::nullopt;
  }
}

}  // namespace

std::optional<std::uint16_t> dns_type_of(std::string_view record) {
  for (const TypeName& entry : k_types) {
    if (entry.name == record) {
      return entry.type;
    }
  }
  return std::nullopt;
}

Expected<std::string> encode_dns_query(std::uint16_t id, std::string_view name, std::uint16_t type) {
  if (name.empty() || name.size() > 253) {
    return fail(fmt::format("DNS name \"{}\" must be 1 to 253 bytes", name));
  }
  std::string out;
  put16(out, id);
  put16(out, 0x0100);  // a standard query, recursion desired
  put16(out, 1);
  put16(out, 0);
  put16(out, 0);
  put16(out, 0);
  std::size_t start = 0;
  while (start <= name.size()) {
    const std::size_t dot = name.find('.', start);
    const std::string_view label =
        name.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    if (dot == std::string_view::npos && label.empty()) {
      break;  // a trailing dot
    }
    if (label.empty() || label.size() > 63) {
      return fail(fmt::format("DNS name \"{}\" has an empty label or one over 63 bytes", name));
    }
    out += static_cast<char>(label.size());
    out += label;
    if (dot == std::string_view::npos) {
      break;
    }
    start = dot + 1;
  }
  out += '\0';
  put16(out, type);
  put16(out, 1);  // class IN
  return out;
}

Expected<DnsResponse> parse_dns_response(std::string_view message) {
  const Reader reader(message);
  DnsResponse out;
  std::uint16_t flags = 0;
  std::uint16_t questions = 0;
  std::uint16_t answers = 0;
  if (!reader.u16(0, out.id) || !reader.u16(2, flags) || !reader.u16(4, questions) || !reader.u16(6, answers) ||
      message.size() < 12) {
    return fail(fmt::format("DNS response of {} bytes is shorter than its 12-byte header", message.size()));
  }
  if ((flags & 0x8000) == 0) {
    return fail("DNS message is a query, not a response");
  }
  const unsigned rcode = flags & 0x0F;
  out.rcode = rcode < k_rcodes.size() ? std::string(k_rcodes[rcode]) : fmt::format("RCODE{}", rcode);
  std::size_t at = 12;
  std::string name;
  for (unsigned i = 0; i < questions; ++i) {
    if (!reader.name(at, name, at) || at + 4 > reader.size()) {
      return fail(fmt::format("DNS response is cut in question {}", i + 1));
    }
    at += 4;
  }
  for (unsigned i = 0; i < answers; ++i) {
    std::uint16_t type = 0;
    std::uint32_t ttl = 0;
    std::uint16_t length = 0;
    if (!reader.name(at, name, at) || !reader.u16(at, type) || !reader.u32(at + 4, ttl) ||
        !reader.u16(at + 8, length) || at + 10 + length > reader.size()) {
      return fail(fmt::format("DNS response is cut in answer {}", i + 1));
    }
    at += 10;
    for (const TypeName& entry : k_types) {
      if (entry.type == type) {
        if (auto text = rdata_text(reader, type, at, length)) {
          out.answers.push_back({std::string(entry.name), std::move(*text), ttl});
        }
      }
    }
    at += length;
  }
  return out;
}

}  // namespace pw
