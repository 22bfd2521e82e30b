// Property test: thousands of random pass/fail runs, some as two concurrent runs with randomly
// interleaved requests, through sync_incidents, the real GitHub client and a fake GitHub.
#include <bot/config/load.hpp>
#include <bot/tracker/github_tracker.hpp>
#include <bot/incidents/sync.hpp>

#include <support/app/interleaving_transport.hpp>
#include <support/fake_clock.hpp>
#include <support/fake_github/fake_github.hpp>
#include <support/fake_github/fake_transport.hpp>

#include <doctest/doctest.h>

#include <map>
#include <optional>
#include <random>

using namespace std::chrono_literals;

namespace {

constexpr const char* k_property_repo = "octo/prop";
const std::vector<std::string> k_ids = {"alpha", "beta", "gamma"};

enum class Verdict { pass, not_found, timeout };

pw::CheckResult result_of(const std::string& id, Verdict verdict) {
  pw::CheckResult result;
  result.id = id;
  result.attempts = 1;
  result.ok = verdict == Verdict::pass;
  if (verdict == Verdict::timeout) {
    result.evidence.failure = pw::TransportFailure::timeout;
    result.evidence.error = "timed out after 10s while waiting for response headers";
  } else {
    result.evidence.status = result.ok ? 200 : 404;
    if (!result.ok) {
      result.failed.push_back({"status:404", "status 404 not in [200-399]"});
    }
  }
  return result;
}

// The threshold rules, as a model: when must an incident be open?
struct Model {
  bool open = false;
  int fails = 0;
  int passes = 0;
  void observe(bool ok, int failure_threshold, int success_threshold) {
    if (ok) {
      fails = 0;
      passes = open ? passes + 1 : 0;
      if (open && passes >= success_threshold) {
        open = false;
        passes = 0;
      }
    } else {
      passes = 0;
      fails += 1;
      if (!open && fails >= failure_threshold) {
        open = true;
      }
    }
  }
};

struct World {
  pw::test::FakeClock clock;
  pw::test::FakeGitHub github{clock};
  pw::test::FakeTransport transport{github};
  pw::Config config;
  pw::TemplateSet templates = pw::TemplateSet::defaults();
  int person_issue = 0;
  std::string person_body = "Our own notes; probewatch must never edit this.";

  World(int failure_threshold, int success_threshold, const std::string& reopen_window) {
    github.add_repo(k_property_repo);
    std::string yaml = "issues:\n  failure_threshold: " + std::to_string(failure_threshold) +
                       "\n  success_threshold: " + std::to_string(success_threshold) +
                       "\n  reminder: 1000d\n  reopen_window: " + reopen_window + "\nchecks:\n";
    for (const std::string& id : k_ids) {
      yaml += "  - id: " + id + "\n    url: http://" + id + ".test/\n";
    }
    config = pw::load_config(yaml, "prop.yml", {}).value();
    person_issue = github.add_issue(k_property_repo, {"alpha is failing", person_body, {"probewatch"}});
  }

  pw::SyncRequest request(const std::map<std::string, pw::CheckResult>& results) const {
    pw::SyncRequest request;
    for (const pw::Check& check : config.checks) {
      request.checks.push_back(&check);
    }
    request.results = &results;
    request.issues = &config.issues;
    request.policy = pw::reconcile_policy(config.issues);
    return request;
  }

  pw::SyncResult sync(github::Transport& through, const std::map<std::string, pw::CheckResult>& results) {
    github::ClientOptions options;
    options.token = "t";
    options.write_spacing = 0ms;
    github::Client client(options, through, clock);
    pw::GitHubTracker tracker(client, k_property_repo);
    pw::RunInfo info;
    info.now = clock.now();
    pw::IssueWriter writer(templates, config.secrets, info);
    const pw::SyncRequest r = request(results);
    return pw::sync_incidents(tracker, writer, r, clock);
  }

  std::map<std::string, int> open_by_check() const {
    std::map<std::string, int> count;
    for (const auto& issue : github.issues(k_property_repo)) {
      if (issue.state != "open" || !issue.body) {
        continue;
      }
      const std::size_t at = issue.body->find("\"check\":\"");
      if (at != std::string::npos && issue.body->find("\"kind\":\"incident\"") != std::string::npos) {
        const std::size_t start = at + 9;
        ++count[issue.body->substr(start, issue.body->find('"', start) - start)];
      }
    }
    return count;
  }

  // After two runs raced, each may or may not have counted the other's observation (that depends
  // on the interleaving), so the model takes the counts the bot recorded.
  void resync(std::map<std::string, Model>& model) const {
    std::optional<pw::DashboardState> dashboard;
    std::map<std::string, pw::IncidentState> incidents;
    for (const auto& issue : github.issues(k_property_repo)) {
      if (issue.state != "open" || !issue.body) {
        continue;
      }
      const auto marker = pw::parse_marker(*issue.body);
      if (!marker) {
        continue;
      }
      if (const auto* incident = std::get_if<pw::IncidentState>(&*marker)) {
        incidents[incident->check] = *incident;
      } else if (!dashboard) {
        dashboard = std::get<pw::DashboardState>(*marker);
      }
    }
    for (const std::string& id : k_ids) {
      Model& m = model[id];
      m.open = incidents.count(id) != 0;
      m.passes = m.open ? incidents[id].passes : 0;
      m.fails = 0;
      if (!m.open && dashboard && dashboard->checks.count(id) != 0) {
        const auto& memory = dashboard->checks.at(id);
        const bool counting =
            memory.status == pw::CheckMemory::Status::pending || memory.status == pw::CheckMemory::Status::failing;
        m.fails = counting ? memory.streak : 0;
      }
    }
  }

  std::size_t comments_total() const { return comments_except("\x01"); }

  // Counts the comments, leaving out those that start with `prefix`.
  std::size_t comments_except(const std::string& prefix) const {
    std::size_t total = 0;
    for (const auto& issue : github.issues(k_property_repo)) {
      for (const auto& comment : github.comments(k_property_repo, issue.number)) {
        total += comment.body.starts_with(prefix) ? 0 : 1;
      }
    }
    return total;
  }
};

}  // namespace

TEST_CASE("property: incidents follow the threshold rules over random runs and races") {
  std::mt19937_64 random(20261127);
  std::size_t runs = 0;
  std::size_t races = 0;
  for (int sequence = 0; sequence < 120; ++sequence) {
    const int failure_threshold = 1 + static_cast<int>(random() % 3);
    const int success_threshold = 1 + static_cast<int>(random() % 2);
    World world(failure_threshold, success_threshold, random() % 2 == 0 ? "0s" : "6h");
    std::map<std::string, Model> model;
    std::map<std::string, Verdict> previous;
    for (int step = 0; step < 25; ++step) {
      world.clock.advance(std::chrono::minutes(5 + static_cast<int>(random() % 240)));
      std::map<std::string, pw::CheckResult> results;
      std::map<std::string, Verdict> now;
      for (const std::string& id : k_ids) {
        const auto roll = random() % 100;
        const Verdict verdict = roll < 55 ? Verdict::pass : roll < 85 ? Verdict::not_found : Verdict::timeout;
        now[id] = verdict;
        results.emplace(id, result_of(id, verdict));
      }
      const auto open_before = world.open_by_check();
      // A "failure changed" comment held back by the refresh throttle may come in a later, quiet run.
      const std::string k_deferred = "**The failure changed.**";
      const std::size_t comments_before = world.comments_except(k_deferred);
      const bool race = random() % 4 == 0;
      if (race) {
        // Two runs at once with the same results: requests interleave at random.
        pw::test::Interleaver interleaver(random());
        pw::test::Interleaver::Lane first(interleaver, world.transport, 0);
        pw::test::Interleaver::Lane second(interleaver, world.transport, 1);
        pw::SyncResult a;
        pw::SyncResult b;
        interleaver.run({[&] { a = world.sync(first, results); }, [&] { b = world.sync(second, results); }});
        REQUIRE(a.errors.empty());
        REQUIRE(b.errors.empty());
        ++races;
      } else {
        REQUIRE(world.sync(world.transport, results).errors.empty());
      }
      ++runs;
      bool changed = false;
      if (race) {
        const auto open = world.open_by_check();
        for (const std::string& id : k_ids) {
          INFO("sequence " << sequence << " step " << step << " check " << id);
          CHECK((open.count(id) != 0 ? open.at(id) : 0) <= 1);  // a race never leaves two open
        }
        world.resync(model);
        previous = now;
        continue;
      }
      for (const std::string& id : k_ids) {
        const bool was_open = model[id].open;
        model[id].observe(now[id] == Verdict::pass, failure_threshold, success_threshold);
        changed = changed || was_open != model[id].open || (previous.count(id) != 0 && previous[id] != now[id]);
      }
      const auto open = world.open_by_check();
      for (const std::string& id : k_ids) {
        const int count = open.count(id) != 0 ? open.at(id) : 0;
        INFO("sequence " << sequence << " step " << step << " check " << id << " ft " << failure_threshold << " st "
                         << success_threshold << " race " << race << " verdict " << static_cast<int>(now[id]));
        CHECK(count <= 1);
        CHECK((count == 1) == model[id].open);
      }
      if (!changed && open == open_before) {
        CHECK(world.comments_except(k_deferred) == comments_before);  // no comment when nothing changed
      }
      previous = now;
    }
    const auto person = world.github.issue(k_property_repo, world.person_issue);
    CHECK(person->state == "open");
    CHECK(*person->body == world.person_body);
    CHECK(world.github.comments(k_property_repo, world.person_issue).empty());
  }
  CHECK(runs == 3000);
  MESSAGE("runs: " << runs << ", of which races of two concurrent runs: " << races);
}
