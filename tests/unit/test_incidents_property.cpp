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
#include <set>
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

// Two config files on one label in one repository, with the same check ids: each must keep to
// its own issues.
const std::vector<std::string> k_configs = {"ops/a.yml", "ops/b.yml"};

using Key = std::pair<std::string, std::string>;  // (config, check)

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

  pw::SyncRequest request(const std::string& owner, const std::map<std::string, pw::CheckResult>& results) const {
    pw::SyncRequest request;
    for (const pw::Check& check : config.checks) {
      request.checks.push_back(&check);
    }
    request.results = &results;
    request.issues = &config.issues;
    request.policy = pw::reconcile_policy(config.issues);
    request.policy.config = owner;
    return request;
  }

  pw::SyncResult sync(github::Transport& through, const std::string& owner,
                      const std::map<std::string, pw::CheckResult>& results) {
    github::ClientOptions options;
    options.token = "t";
    options.write_spacing = 0ms;
    options.retry.max_attempts = 1;  // an interrupted run stops at the first failure
    github::Client client(options, through, clock);
    pw::GitHubTracker tracker(client, k_property_repo);
    pw::RunInfo info;
    info.now = clock.now();
    pw::IssueWriter writer(templates, config.secrets, info);
    const pw::SyncRequest r = request(owner, results);
    return pw::sync_incidents(tracker, writer, r, clock);
  }

  // The open issues with a marker, by owning config.
  std::vector<std::pair<int, pw::Marker>> open_markers() const {
    std::vector<std::pair<int, pw::Marker>> out;
    for (const auto& issue : github.issues(k_property_repo)) {
      if (issue.state == "open" && issue.body) {
        if (auto marker = pw::parse_marker(*issue.body)) {
          out.emplace_back(issue.number, std::move(*marker));
        }
      }
    }
    return out;
  }

  std::map<Key, int> open_by_check() const {
    std::map<Key, int> count;
    for (const auto& [number, marker] : open_markers()) {
      if (const auto* incident = std::get_if<pw::IncidentState>(&marker)) {
        ++count[{incident->config, incident->check}];
      }
    }
    return count;
  }

  std::map<std::string, int> dashboards_by_config() const {
    std::map<std::string, int> count;
    for (const auto& [number, marker] : open_markers()) {
      if (const auto* dashboard = std::get_if<pw::DashboardState>(&marker)) {
        ++count[dashboard->config];
      }
    }
    return count;
  }

  // After two runs raced, or a run was cut off, the observation may or may not have counted
  // (that depends on where it stopped), so the model takes the counts the bot recorded.
  void resync(const std::string& owner, std::map<Key, Model>& model) const {
    std::optional<pw::DashboardState> dashboard;
    std::map<std::string, pw::IncidentState> incidents;
    for (const auto& [number, marker] : open_markers()) {
      if (const auto* incident = std::get_if<pw::IncidentState>(&marker)) {
        if (incident->config == owner) {
          incidents[incident->check] = *incident;
        }
      } else if (const auto& state = std::get<pw::DashboardState>(marker); !dashboard && state.config == owner) {
        dashboard = state;
      }
    }
    for (const std::string& id : k_ids) {
      Model& m = model[{owner, id}];
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

  // Every multi-request step tags its comment; a step finished by a later run must not comment twice.
  std::vector<std::string> repeated_steps() const {
    std::vector<std::string> repeated;
    for (const auto& issue : github.issues(k_property_repo)) {
      std::set<std::string> tags;
      for (const auto& comment : github.comments(k_property_repo, issue.number)) {
        const std::size_t at = comment.body.find("<!-- probewatch:step ");
        if (at == std::string::npos) {
          continue;
        }
        const std::string tag = comment.body.substr(at, comment.body.find("-->", at) - at);
        if (!tags.insert(tag).second) {
          repeated.push_back("#" + std::to_string(issue.number) + " " + tag);
        }
      }
    }
    return repeated;
  }
};

}  // namespace

TEST_CASE("property: incidents follow the threshold rules over random runs, races, cut-off runs and two configs") {
  std::mt19937_64 random(20261127);
  std::size_t runs = 0;
  std::size_t races = 0;
  std::size_t cut_off = 0;
  std::size_t writes_cut = 0;
  for (int sequence = 0; sequence < 120; ++sequence) {
    const int failure_threshold = 1 + static_cast<int>(random() % 3);
    const int success_threshold = 1 + static_cast<int>(random() % 2);
    World world(failure_threshold, success_threshold, random() % 2 == 0 ? "0s" : "6h");
    std::map<Key, Model> model;
    std::map<Key, Verdict> previous;
    for (int step = 0; step < 25; ++step) {
      world.clock.advance(std::chrono::minutes(5 + static_cast<int>(random() % 240)));
      // Which config runs this step: one of the two, or both one after the other (alternating
      // schedules); the two see the same services.
      const auto who = random() % 3;
      std::vector<std::string> owners;
      if (who != 1) {
        owners.push_back(k_configs[0]);
      }
      if (who != 0) {
        owners.push_back(k_configs[1]);
      }
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
      const auto mode = random() % 8;
      bool resynced = false;
      for (const std::string& owner : owners) {
        if (mode == 0) {
          // Two runs of one config at once with the same results: requests interleave at random.
          pw::test::Interleaver interleaver(random());
          pw::test::Interleaver::Lane first(interleaver, world.transport, 0);
          pw::test::Interleaver::Lane second(interleaver, world.transport, 1);
          pw::SyncResult a;
          pw::SyncResult b;
          interleaver.run(
              {[&] { a = world.sync(first, owner, results); }, [&] { b = world.sync(second, owner, results); }});
          REQUIRE(a.errors.empty());
          REQUIRE(b.errors.empty());
          ++races;
          world.resync(owner, model);
          resynced = true;
        } else if (mode == 1) {
          // The run is cut off (the job cancelled, the runner lost) after its nth request went
          // through; the next scheduled run finishes what it left, with the same results.
          pw::test::FaultRule cut;
          cut.fault = pw::test::FaultKind::reset;
          cut.after_apply = random() % 2 == 0;
          cut.nth = 1 + static_cast<int>(random() % 6);
          cut.times = 0;
          world.github.inject(cut);
          const pw::SyncResult interrupted = world.sync(world.transport, owner, results);
          writes_cut += interrupted.errors.empty() ? 0 : 1;
          world.github.clear_faults();
          world.clock.advance(5min);
          REQUIRE(world.sync(world.transport, owner, results).errors.empty());
          ++cut_off;
          world.resync(owner, model);
          resynced = true;
        } else {
          REQUIRE(world.sync(world.transport, owner, results).errors.empty());
        }
        ++runs;
      }
      const auto open = world.open_by_check();
      for (const auto& [key, count] : open) {
        INFO("sequence " << sequence << " step " << step << " config " << key.first << " check " << key.second);
        CHECK(count <= 1);  // never two open for one check of one config
      }
      const auto repeated = world.repeated_steps();
      // A step finished by a later run, or raced by a second run, leaves one comment.
      CHECK_MESSAGE(repeated.empty(), "a step commented twice: " << (repeated.empty() ? "" : repeated.front()));
      if (mode >= 2) {
        // Each config keeps its own dashboard (an extra one left by a race or a cut-off create is
        // closed by the next ordinary run).
        const auto dashboards = world.dashboards_by_config();
        for (const std::string& owner : owners) {
          INFO("config " << owner);
          CHECK((dashboards.count(owner) == 0 ? 0 : dashboards.at(owner)) == 1);
        }
      }
      if (resynced) {
        for (const std::string& owner : owners) {
          for (const std::string& id : k_ids) {
            previous[{owner, id}] = now[id];
          }
        }
        continue;
      }
      bool changed = false;
      for (const std::string& owner : owners) {
        for (const std::string& id : k_ids) {
          const Key key{owner, id};
          const bool was_open = model[key].open;
          model[key].observe(now[id] == Verdict::pass, failure_threshold, success_threshold);
          changed = changed || was_open != model[key].open || (previous.count(key) != 0 && previous[key] != now[id]);
        }
      }
      for (const std::string& owner : k_configs) {
        for (const std::string& id : k_ids) {
          const Key key{owner, id};
          const int count = open.count(key) != 0 ? open.at(key) : 0;
          INFO("sequence " << sequence << " step " << step << " config " << owner << " check " << id << " ft "
                           << failure_threshold << " st " << success_threshold << " verdict "
                           << static_cast<int>(now[id]));
          CHECK((count == 1) == model[key].open);  // the config that did not run is left as it was
        }
      }
      if (!changed && open == open_before) {
        CHECK(world.comments_except(k_deferred) == comments_before);  // no comment when nothing changed
      }
      for (const std::string& owner : owners) {
        for (const std::string& id : k_ids) {
          previous[{owner, id}] = now[id];
        }
      }
    }
    const auto person = world.github.issue(k_property_repo, world.person_issue);
    CHECK(person->state == "open");
    CHECK(*person->body == world.person_body);
    CHECK(world.github.comments(k_property_repo, world.person_issue).empty());
  }
  CHECK(runs > 3000);
  CHECK(cut_off > 100);
  CHECK(writes_cut > 50);
  MESSAGE("runs: " << runs << ", races of two concurrent runs: " << races
                   << ", cut-off runs finished by the next: " << cut_off << " (" << writes_cut << " left work undone)");
}
