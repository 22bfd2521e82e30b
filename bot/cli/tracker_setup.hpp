#pragma once

#include <bot/cli/app.hpp>
#include <bot/cli/options.hpp>
#include <bot/core/redactor.hpp>
#include <bot/model/proxy.hpp>
#include <bot/tracker/local_tracker.hpp>
#include <bot/tracker/tracker.hpp>

#include <github_client/client.hpp>
#include <github_client/httplib_transport.hpp>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace pw {

// The trackers of one run: a GitHub client shared by one tracker per repository, or one local file.
struct Trackers {
  std::unique_ptr<github::Transport> transport;
  std::unique_ptr<github::Client> client;
  std::map<std::string, std::unique_ptr<Tracker>> by_repo;  // "" for the default repository
  std::string default_repo;
  bool local = false;
  LocalTracker* local_file = nullptr;  // set when local
  std::string local_path;              // the local file, when local
  std::string server_url = "https://github.com";

  // Returns the tracker for a check's repo (or the default one).
  Tracker& for_repo(const std::optional<std::string>& repo);
  // Returns the requests made so far over every tracker.
  std::size_t requests() const;
  // Writes a local tracker's changes in one atomic replace; nothing to do for GitHub.
  TrackerResult<void> commit();
  // Returns the web URL of an issue.
  std::string issue_url(const std::optional<std::string>& repo, int number) const;
};

// Returns the GitHub transport's proxy choice: the same HTTP(S)_PROXY and NO_PROXY rule as the
// probes (bot/model/proxy).
github::ProxyChooser github_proxy_chooser(ProxySettings settings);

// Chooses and builds the trackers from --tracker, --repo, the token and GITHUB_* variables, for
// the repositories `repos` (each check's repo: key, "" for a check without one). Registers the token as a secret.
// Prints why and returns nullopt on a usage error; prints the one-line notice when it falls back to a local file.
std::optional<Trackers> make_trackers(const Options& options, const std::vector<std::string>& repos, Redactor& secrets,
                                      AppContext& context);

}  // namespace pw
