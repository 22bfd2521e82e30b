// The local tracker as a small database: one read, one atomic write, a lock that names its
// holder, validated entries, a read-only file left alone, an interrupted write leaving the old file.
#include <bot/tracker/local_tracker.hpp>

#include <support/app/app_harness.hpp>
#include <support/fake_clock.hpp>
#include <support/os.hpp>

#include <github_client/iso8601.hpp>

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <sys/stat.h>
#include <unistd.h>

using pw::test::AppHarness;

namespace {

struct Folder {
  std::filesystem::path dir = pw::test::make_temp_dir("probewatch-local");
  ~Folder() {
    std::error_code ec;
    std::filesystem::permissions(dir / "issues.json", std::filesystem::perms::owner_all,
                                 std::filesystem::perm_options::add, ec);
    std::filesystem::remove_all(dir, ec);
  }
  std::string file() const { return (dir / "issues.json").string(); }
  void write(const std::string& text) const { std::ofstream(file()) << text; }
  std::string read() const {
    std::ifstream in(file());
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  }
};

github::NewIssue new_issue(const std::string& title) {
  github::NewIssue issue;
  issue.title = title;
  issue.body = "body of " + title;
  issue.labels = {"probewatch"};
  return issue;
}

constexpr const char* k_one_issue =
    R"({"version": 1, "next_number": 2, "issues": [{"number": 1, "title": "API health is failing", "state": "open",
    "labels": ["probewatch"], "comments": []}]})";

}  // namespace

TEST_CASE("local tracker: every change of a run is one write, at commit") {
  Folder folder;
  pw::test::FakeClock clock;
  {
    pw::LocalTracker tracker(folder.file(), clock);
    REQUIRE(tracker.list_open("probewatch").value().empty());
    REQUIRE(tracker.create(new_issue("a")).has_value());
    REQUIRE(tracker.create(new_issue("b")).has_value());
    REQUIRE(tracker.comment(1, "hello").has_value());
    CHECK_FALSE(std::filesystem::exists(folder.file()));  // nothing written yet
    REQUIRE(tracker.commit().has_value());
    const std::string written = folder.read();
    CHECK(written.find("\"version\": 1") != std::string::npos);
    CHECK(written.find("\"next_number\": 3") != std::string::npos);
    CHECK(written.find("hello") != std::string::npos);
    std::filesystem::remove(folder.file());
    CHECK(tracker.commit().has_value());  // nothing new: no write
    CHECK_FALSE(std::filesystem::exists(folder.file()));
    std::ofstream(folder.file()) << written;
  }  // the lock is released with the tracker
  // The next run reads what this one wrote.
  pw::LocalTracker next(folder.file(), clock);
  CHECK(next.list_open("probewatch").value().size() == 2);
  CHECK(next.comments(1).value().at(0).body == "hello");
}

TEST_CASE("local tracker: a corrupt entry is an error naming the entry and the field, and nothing changes") {
  Folder folder;
  pw::test::FakeClock clock;
  SUBCASE("a field of the wrong type") {
    folder.write(R"({"version": 1, "issues": [{"number": 1, "title": "ok"}, {"number": 7, "labels": 5}]})");
    pw::LocalTracker tracker(folder.file(), clock);
    CHECK(tracker.list_open("probewatch").error().message ==
          folder.file() +
              ": issue entry 2 (number 7): \"labels\" must be an array of strings, not a number; fix or remove that "
              "entry (nothing was changed)");
    CHECK_FALSE(tracker.create(new_issue("x")).has_value());
  }
  SUBCASE("a comment without its body's type") {
    folder.write(R"({"issues": [{"number": 3, "comments": [{"id": 1, "body": ["x"]}]}]})");
    pw::LocalTracker tracker(folder.file(), clock);
    CHECK(tracker.get(3).error().message ==
          folder.file() +
              ": issue entry 1 (number 3): comment 1: \"body\" must be a string, not an array; fix or remove that "
              "entry (nothing was changed)");
  }
  SUBCASE("a newer schema version") {
    folder.write(R"({"version": 2, "issues": []})");
    pw::LocalTracker tracker(folder.file(), clock);
    CHECK(tracker.list_open("probewatch").error().message ==
          folder.file() +
              " has schema version 2; this probewatch reads version 1. Use the probewatch that wrote it, or point "
              "--tracker local:PATH elsewhere");
  }
}

TEST_CASE("local tracker: run over a corrupt file exits 3 with the entry named, opening nothing") {
  AppHarness app;
  app.write_config("defaults: { retries: 0 }\nchecks:\n  - name: API\n    url: http://api.test/\n");
  app.prober.set_status("http://api.test/", 500);
  const std::string corrupt = R"({"version": 1, "issues": [{"number": 1, "state": "broken"}]})";
  std::ofstream(app.path("issues.json")) << corrupt;
  const auto result = app.run({"run", "--config", "probewatch.yml", "--tracker", "local:issues.json", "--no-progress"});
  CHECK(result.exit_code == 3);
  INFO(result.err);
  CHECK(result.err.find("probewatch: could not list the open issues labeled \"probewatch\" in local file issues.json: "
                        "issues.json: issue entry 1 (number 1): \"state\" must be \"open\" or "
                        "\"closed\", not \"broken\"; fix or remove that entry (nothing was changed)\n") !=
        std::string::npos);
  CHECK(result.err.find("internal error") == std::string::npos);
  std::ifstream in(app.path("issues.json"));
  std::stringstream after;
  after << in.rdbuf();
  CHECK(after.str() == corrupt);
}

TEST_CASE("local tracker: a read-only file is never replaced") {
  Folder folder;
  folder.write(k_one_issue);
  std::filesystem::permissions(folder.file(), std::filesystem::perms::owner_read | std::filesystem::perms::group_read);
  pw::test::FakeClock clock;
  {
    pw::LocalTracker tracker(folder.file(), clock);
    CHECK(tracker.list_open("probewatch").error().message ==
          folder.file() +
              " is read-only: probewatch never replaces a file it may not write; make it writable "
              "(chmod u+w " +
              folder.file() + ") or point --tracker local:PATH elsewhere");
    CHECK_FALSE(tracker.create(new_issue("x")).has_value());
  }
  CHECK(folder.read() == k_one_issue);
  struct stat info {};
  REQUIRE(::stat(folder.file().c_str(), &info) == 0);
  CHECK((info.st_mode & 0777) == 0440);
  // Reading it (probewatch show) still works.
  pw::LocalTrackerOptions read_only;
  read_only.read_only = true;
  pw::LocalTracker reader(folder.file(), clock, read_only);
  CHECK(reader.get(1).value().title == "API health is failing");
}

TEST_CASE("local tracker: a held lock names its holder and the wait gives up on the clock") {
  Folder folder;
  pw::test::FakeClock clock;
  pw::LocalTracker holder(folder.file(), clock);
  REQUIRE(holder.list_open("probewatch").has_value());
  std::ifstream lock(folder.file() + ".lock");
  std::string line;
  std::getline(lock, line);
  CHECK(line.starts_with(fmt::format("probewatch pid {} on ", ::getpid())));
  CHECK(line.ends_with(" since " + github::format_iso8601(clock.now())));

  pw::LocalTrackerOptions options;
  options.lock_wait = std::chrono::seconds(5);
  pw::LocalTracker waiting(folder.file(), clock, options);
  const auto before = clock.now();
  CHECK(waiting.list_open("probewatch").error().message ==
        folder.file() + " is locked by " + line +
            "; gave up after waiting 5s. Run again when that run has finished (the lock is released when its "
            "process ends)");
  CHECK(clock.now() - before >= std::chrono::seconds(5));  // waited on the clock, not by sleeping
}

TEST_CASE("local tracker: an interrupted write leaves the old file intact, and the next run goes on") {
  Folder folder;
  folder.write(k_one_issue);
  pw::test::FakeClock clock;
  std::string temporary;
  {
    pw::LocalTrackerOptions crash;
    crash.after_temporary_written = [&](const std::string& path) {
      temporary = path;
      return false;  // the process "dies" after the temporary file, before the rename
    };
    pw::LocalTracker tracker(folder.file(), clock, crash);
    REQUIRE(tracker.create(new_issue("second")).has_value());
    CHECK(tracker.commit().error().message == "stopped before replacing " + folder.file() + " (fault injection)");
  }
  CHECK(std::filesystem::exists(temporary));  // what a crash leaves behind
  CHECK(folder.read() == k_one_issue);
  {
    pw::LocalTracker next(folder.file(), clock);
    CHECK(next.list_open("probewatch").value().size() == 1);
    REQUIRE(next.create(new_issue("again")).has_value());
    REQUIRE(next.commit().has_value());
  }
  pw::LocalTracker third(folder.file(), clock);
  CHECK(third.list_open("probewatch").value().size() == 2);
}
