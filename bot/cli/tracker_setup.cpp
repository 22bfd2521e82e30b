#include <bot/cli/tracker_setup.hpp>

#include <bot/tracker/github_tracker.hpp>
#include <bot/tracker/local_tracker.hpp>

#include <fmt/format.h>

#include <algorithm>

namespace pw {

namespace {

constexpr const char* k_default_local = ".probewatch/issues.json";

}  // namespace

github::ProxyChooser github_proxy_chooser(ProxySettings settings) {
  return [settings = std::move(settings)](const std::string& scheme, const std::string& host,
                                          int port) -> std::expected<std::optional<github::HttpProxy>, std::string> {
    Url url;
    url.scheme = scheme;
    url.host = host;
    url.port = port;
    auto chosen = settings.for_url(url);
    if (!chosen) {
      return std::unexpected(chosen.error().message);
    }
    if (!*chosen) {
      return std::optional<github::HttpProxy>();
    }
    const ProxyServer& proxy = **chosen;
    return std::optional(github::HttpProxy{proxy.host, proxy.port, proxy.username, proxy.password, proxy.describe()});
  };
}

Tracker& Trackers::for_repo(const std::optional<std::string>& repo) {
  if (local || !repo || *repo == default_repo) {
    return *by_repo.at(local ? "" : default_repo);
  }
  return *by_repo.at(*repo);
}

std::size_t Trackers::requests() const {
  if (client) {
    return client->requests();
  }
  std::size_t total = 0;
  for (const auto& [repo, tracker] : by_repo) {
    total += tracker->requests();
  }
  return total;
}

TrackerResult<void> Trackers::commit() { return local_file != nullptr ? local_file->commit() : TrackerResult<void>{}; }

std::string Trackers::issue_url(const std::optional<std::string>& repo, int number) const {
  if (local) {
    return fmt::format("{}#{}", by_repo.begin()->second->where().substr(11), number);
  }
  return fmt::format("{}/{}/issues/{}", server_url, repo.value_or(default_repo), number);
}

std::optional<Trackers> make_trackers(const Options& options, const std::vector<std::string>& repos, Redactor& secrets,
                                      AppContext& context) {
  Trackers trackers;
  const auto token =
      lookup(context.env, "PROBEWATCH_TOKEN").or_else([&] { return lookup(context.env, "GITHUB_TOKEN"); });
  if (token) {
    secrets.add(*token);
  }
  trackers.default_repo = !options.repo.empty() ? options.repo : lookup(context.env, "GITHUB_REPOSITORY").value_or("");
  trackers.server_url = lookup(context.env, "GITHUB_SERVER_URL").value_or("https://github.com");
  while (!trackers.server_url.empty() && trackers.server_url.back() == '/') {
    trackers.server_url.pop_back();
  }
  std::string kind = options.tracker;
  if (kind.empty()) {
    if (token && !trackers.default_repo.empty()) {
      kind = "github";
    } else {
      kind = "local";
      const char* missing = !token ? (trackers.default_repo.empty()
                                          ? "no token (GITHUB_TOKEN or PROBEWATCH_TOKEN) and no repository (--repo or "
                                            "GITHUB_REPOSITORY)"
                                          : "no token (GITHUB_TOKEN or PROBEWATCH_TOKEN)")
                                   : "no repository (--repo or GITHUB_REPOSITORY)";
      context.err << fmt::format("probewatch: {} set; keeping incidents in {} (local tracker)\n", missing,
                                 k_default_local);
    }
  }
  if (kind == "local" || kind.starts_with("local:")) {
    const std::string path = kind.size() > 6 ? kind.substr(6) : k_default_local;
    trackers.local = true;
    trackers.local_path = path;
    LocalTrackerOptions local_options;
    local_options.read_only = options.command == "show";  // reads while a run may hold the lock
    auto local = std::make_unique<LocalTracker>(path, context.clock, local_options);
    trackers.local_file = local.get();
    trackers.by_repo.emplace("", std::move(local));
    return trackers;
  }
  if (kind != "github") {
    context.err << fmt::format("probewatch: --tracker must be github or local[:PATH], not \"{}\"\n", kind);
    return std::nullopt;
  }
  if (!token) {
    context.err << "probewatch: --tracker github needs a token in GITHUB_TOKEN (or PROBEWATCH_TOKEN)\n";
    return std::nullopt;
  }
  const bool needs_default = std::find(repos.begin(), repos.end(), "") != repos.end();
  if (trackers.default_repo.empty() && needs_default) {
    context.err << "probewatch: --tracker github needs a repository: pass --repo OWNER/NAME or set GITHUB_REPOSITORY\n";
    return std::nullopt;
  }
  github::ClientOptions client_options;
  client_options.api_url = lookup(context.env, "GITHUB_API_URL").value_or(std::string(github::k_default_api_url));
  client_options.token = *token;
  client_options.write_spacing = context.write_spacing;
  trackers.transport = context.make_transport();
  trackers.client = std::make_unique<github::Client>(client_options, *trackers.transport, context.clock);
  std::vector<std::string> all = repos;
  all.push_back(trackers.default_repo);
  for (const std::string& repo : all) {
    if (!repo.empty() && trackers.by_repo.count(repo) == 0) {
      trackers.by_repo.emplace(repo, std::make_unique<GitHubTracker>(*trackers.client, repo));
    }
  }
  return trackers;
}

}  // namespace pw
