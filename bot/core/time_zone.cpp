#include <bot/core/time_zone.hpp>

#include <fmt/format.h>

#include <algorithm>

namespace pw {

namespace {

using std::int64_t;

constexpr int64_t k_day = 86400;

int64_t seconds_of(TimePoint time) { return std::chrono::floor<std::chrono::seconds>(time.time_since_epoch()).count(); }

TimePoint time_of(int64_t seconds) { return TimePoint(std::chrono::seconds(seconds)); }

int64_t days_of(std::chrono::year_month_day date) { return std::chrono::sys_days(date).time_since_epoch().count(); }

// Reads big-endian integers out of a TZif file, failing once past its end.
struct Reader {
  std::string_view bytes;
  std::size_t pos = 0;
  bool ok = true;

  bool has(std::size_t count) {
    ok = ok && count <= bytes.size() - std::min(pos, bytes.size());
    return ok;
  }
  int64_t be(int width) {
    if (!has(static_cast<std::size_t>(width))) {
      return 0;
    }
    uint64_t value = 0;
    for (int i = 0; i < width; ++i) {
      value = (value << 8) | static_cast<unsigned char>(bytes[pos++]);
    }
    if (width == 4) {
      return static_cast<int32_t>(static_cast<uint32_t>(value));
    }
    return static_cast<int64_t>(value);
  }
  void skip(std::size_t count) {
    if (has(count)) {
      pos += count;
    }
  }
};

struct Counts {
  int64_t isut = 0, isstd = 0, leap = 0, time = 0, type = 0, chars = 0;
};

bool read_header(Reader& in, char& version, Counts& counts) {
  if (!in.has(44) || in.bytes.substr(in.pos, 4) != "TZif") {
    return false;
  }
  version = in.bytes[in.pos + 4];
  in.skip(20);
  counts.isut = in.be(4);
  counts.isstd = in.be(4);
  counts.leap = in.be(4);
  counts.time = in.be(4);
  counts.type = in.be(4);
  counts.chars = in.be(4);
  const auto sane = [](int64_t n) { return n >= 0 && n <= 1'000'000; };
  return in.ok && sane(counts.isut) && sane(counts.isstd) && sane(counts.leap) && sane(counts.time) &&
         counts.type >= 1 && counts.type <= 256 && sane(counts.chars);
}

// Reads "[+-]hh[:mm[:ss]]" at `pos`; hours up to 167 (TZif version 3 rule times).
bool read_hms(std::string_view text, std::size_t& pos, int64_t& out) {
  int sign = 1;
  if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
    sign = text[pos] == '-' ? -1 : 1;
    ++pos;
  }
  int64_t parts[3] = {0, 0, 0};
  for (int part = 0; part < 3; ++part) {
    if (part > 0) {
      if (pos >= text.size() || text[pos] != ':') {
        break;
      }
      ++pos;
    }
    const std::size_t begin = pos;
    while (pos < text.size() && pos - begin < 3 && text[pos] >= '0' && text[pos] <= '9') {
      parts[part] = parts[part] * 10 + (text[pos] - '0');
      ++pos;
    }
    if (pos == begin) {
      return false;
    }
  }
  if (parts[0] > 167 || parts[1] > 59 || parts[2] > 59) {
    return false;
  }
  out = sign * (parts[0] * 3600 + parts[1] * 60 + parts[2]);
  return true;
}

bool read_zone_abbreviation(std::string_view text, std::size_t& pos) {
  const std::size_t begin = pos;
  if (pos < text.size() && text[pos] == '<') {
    const std::size_t close = text.find('>', pos);
    if (close == std::string_view::npos) {
      return false;
    }
    pos = close + 1;
    return close - begin >= 4;
  }
  while (pos < text.size() && ((text[pos] >= 'A' && text[pos] <= 'Z') || (text[pos] >= 'a' && text[pos] <= 'z'))) {
    ++pos;
  }
  return pos - begin >= 3;
}

}  // namespace

bool TimeZone::parse_posix(std::string_view text, Posix& out) {
  std::size_t pos = 0;
  int64_t value = 0;
  if (!read_zone_abbreviation(text, pos) || !read_hms(text, pos, value)) {
    return false;
  }
  out.std_offset = -value;  // POSIX counts west of Greenwich as positive
  out.has_dst = pos < text.size();
  if (!out.has_dst) {
    out.valid = true;
    return true;
  }
  if (!read_zone_abbreviation(text, pos)) {
    return false;
  }
  out.dst_offset = out.std_offset + 3600;
  if (pos < text.size() && text[pos] != ',') {
    if (!read_hms(text, pos, value)) {
      return false;
    }
    out.dst_offset = -value;
  }
  auto read_rule = [&](Rule& rule) {
    if (pos >= text.size() || text[pos] != ',') {
      return false;
    }
    ++pos;
    auto number = [&](int& target, int low, int high) {
      const std::size_t begin = pos;
      int n = 0;
      while (pos < text.size() && pos - begin < 3 && text[pos] >= '0' && text[pos] <= '9') {
        n = n * 10 + (text[pos] - '0');
        ++pos;
      }
      target = n;
      return pos != begin && n >= low && n <= high;
    };
    bool ok = false;
    if (pos < text.size() && text[pos] == 'M') {
      ++pos;
      rule.kind = Rule::Kind::month_week_day;
      ok = number(rule.month, 1, 12) && pos < text.size() && text[pos++] == '.' && number(rule.week, 1, 5) &&
           pos < text.size() && text[pos++] == '.' && number(rule.day, 0, 6);
    } else if (pos < text.size() && text[pos] == 'J') {
      ++pos;
      rule.kind = Rule::Kind::julian_no_leap;
      ok = number(rule.day, 1, 365);
    } else {
      rule.kind = Rule::Kind::zero_based_day;
      ok = number(rule.day, 0, 365);
    }
    rule.time = 7200;
    if (ok && pos < text.size() && text[pos] == '/') {
      ++pos;
      ok = read_hms(text, pos, rule.time);
    }
    return ok;
  };
  if (pos == text.size()) {  // no rule: the United States' since 2007
    out.start = {Rule::Kind::month_week_day, 0, 2, 3, 7200};
    out.end = {Rule::Kind::month_week_day, 0, 1, 11, 7200};
  } else if (!read_rule(out.start) || !read_rule(out.end) || pos != text.size()) {
    return false;
  }
  out.valid = true;
  return true;
}

TimeZone TimeZone::utc() {
  TimeZone zone;
  zone.m_name = "UTC";
  zone.m_posix.valid = true;
  return zone;
}

Expected<TimeZone> TimeZone::from_tzif(std::string_view bytes, std::string name) {
  auto broken = [&](std::string_view what) {
    return fail(fmt::format("the time zone file of \"{}\" is not a valid TZif file ({})", name, what));
  };
  Reader in{bytes};
  char version = 0;
  Counts counts;
  if (!read_header(in, version, counts)) {
    return broken("bad header");
  }
  int time_width = 4;
  if (version >= '2') {
    // Skip the 32-bit data block; the 64-bit one follows with its own header.
    in.skip(static_cast<std::size_t>(counts.time * 5 + counts.type * 6 + counts.chars + counts.leap * 8 + counts.isstd +
                                     counts.isut));
    if (!read_header(in, version, counts)) {
      return broken("bad second header");
    }
    time_width = 8;
  }
  TimeZone zone;
  zone.m_name = name;
  std::vector<int64_t> times;
  for (int64_t i = 0; i < counts.time; ++i) {
    times.push_back(in.be(time_width));
  }
  std::vector<int> indices;
  for (int64_t i = 0; i < counts.time; ++i) {
    indices.push_back(static_cast<int>(in.be(1)));
  }
  std::vector<int64_t> offsets;
  for (int64_t i = 0; i < counts.type; ++i) {
    offsets.push_back(in.be(4));
    in.skip(2);  // isdst, abbreviation index
  }
  in.skip(static_cast<std::size_t>(counts.chars + counts.leap * (time_width + 4) + counts.isstd + counts.isut));
  if (!in.ok) {
    return broken("cut short");
  }
  for (std::size_t i = 0; i < times.size(); ++i) {
    if (indices[i] >= counts.type || (i > 0 && times[i] <= times[i - 1])) {
      return broken("bad transition");
    }
    zone.m_transitions.push_back(times[i]);
    zone.m_offsets.push_back(offsets[static_cast<std::size_t>(indices[i])]);
  }
  zone.m_initial_offset = offsets.front();
  if (time_width == 8 && in.pos < bytes.size() && bytes[in.pos] == '\n') {
    const std::size_t end = bytes.find('\n', in.pos + 1);
    if (end == std::string_view::npos) {
      return broken("footer without its closing newline");
    }
    const std::string_view footer = bytes.substr(in.pos + 1, end - in.pos - 1);
    if (!footer.empty() && !parse_posix(footer, zone.m_posix)) {
      return broken(fmt::format("footer \"{}\" is not a POSIX TZ rule", footer.substr(0, 60)));
    }
  }
  return zone;
}

int64_t TimeZone::posix_offset(int64_t utc) const {
  const Posix& p = m_posix;
  if (!p.has_dst) {
    return p.std_offset;
  }
  using namespace std::chrono;
  const year y =
      year_month_day(
          sys_days(days(static_cast<int>((utc + p.std_offset) / k_day - ((utc + p.std_offset) % k_day < 0 ? 1 : 0)))))
          .year();
  auto local_of = [&](const Rule& rule) -> int64_t {
    int64_t day = 0;
    switch (rule.kind) {
      case Rule::Kind::month_week_day: {
        const month m(static_cast<unsigned>(rule.month));
        const weekday wd(static_cast<unsigned>(rule.day));
        day = rule.week == 5
                  ? sys_days(year_month_weekday_last(y, m, weekday_last(wd))).time_since_epoch().count()
                  : sys_days(year_month_weekday(y, m, wd[static_cast<unsigned>(rule.week)])).time_since_epoch().count();
        break;
      }
      case Rule::Kind::julian_no_leap:
        day = days_of(y / January / 1) + rule.day - 1 + (y.is_leap() && rule.day >= 60 ? 1 : 0);
        break;
      case Rule::Kind::zero_based_day: day = days_of(y / January / 1) + rule.day; break;
    }
    return day * k_day + rule.time;
  };
  const int64_t start = local_of(p.start) - p.std_offset;
  const int64_t end = local_of(p.end) - p.dst_offset;
  const bool dst = start < end ? (start <= utc && utc < end) : !(end <= utc && utc < start);
  return dst ? p.dst_offset : p.std_offset;
}

std::chrono::seconds TimeZone::offset_at(TimePoint time) const {
  const int64_t utc = seconds_of(time);
  if (m_transitions.empty() || utc < m_transitions.front()) {
    return std::chrono::seconds(m_transitions.empty() && m_posix.valid ? posix_offset(utc) : m_initial_offset);
  }
  if (utc >= m_transitions.back() && m_posix.valid) {
    return std::chrono::seconds(posix_offset(utc));
  }
  const auto after = std::upper_bound(m_transitions.begin(), m_transitions.end(), utc);
  return std::chrono::seconds(m_offsets[static_cast<std::size_t>(after - m_transitions.begin() - 1)]);
}

LocalSeconds TimeZone::to_local(TimePoint time) const {
  return std::chrono::seconds(seconds_of(time)) + offset_at(time);
}

TimePoint TimeZone::to_utc(LocalSeconds local) const {
  const int64_t l = local.count();
  const int64_t early = offset_at(time_of(l - k_day)).count();
  const int64_t late = offset_at(time_of(l + k_day)).count();
  const bool early_fits = offset_at(time_of(l - early)).count() == early;
  const bool late_fits = offset_at(time_of(l - late)).count() == late;
  if (early_fits && late_fits) {
    return time_of(std::min(l - early, l - late));
  }
  if (late_fits) {
    return time_of(l - late);
  }
  return time_of(l - early);  // fits, or a skipped time read with the offset before the change
}

bool valid_time_zone_name(std::string_view name) {
  if (name.empty() || name.size() > 100 || name.front() == '/' || name.back() == '/') {
    return false;
  }
  std::size_t start = 0;
  while (start <= name.size()) {
    const std::size_t slash = std::min(name.find('/', start), name.size());
    const std::string_view part = name.substr(start, slash - start);
    if (part.empty() || part.front() == '.') {
      return false;
    }
    for (const char c : part) {
      const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
                      c == '-' || c == '+';
      if (!ok) {
        return false;
      }
    }
    start = slash + 1;
  }
  return true;
}

}  // namespace pw
