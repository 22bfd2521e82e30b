// Lists the open issues of a repository that carry a label, using only github_client.
//
//   GITHUB_TOKEN=... list_issues octo-org/app probewatch
//
// GITHUB_API_URL selects another API root (GitHub Enterprise Server, a local fake).
#include <github_client/client.hpp>
#include <github_client/clock.hpp>
#include <github_client/httplib_transport.hpp>
#include <github_client/url.hpp>

#include <cstdio>
#include <cstdlib>

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s OWNER/NAME LABEL\n", argv[0]);
    return 2;
  }
  const char* token = std::getenv("GITHUB_TOKEN");
  github::ClientOptions options;
  options.api_url = github::api_url_from_env(std::getenv("GITHUB_API_URL"));
  options.token = token != nullptr ? token : "";

  github::HttplibTransport transport;
  github::SystemClock clock;
  github::Client client(options, transport, clock);

  github::ListIssuesQuery query;
  query.labels = {argv[2]};
  auto issues = client.list_issues(argv[1], query);
  if (!issues) {
    std::fprintf(stderr, "error: %s\n", issues.error().to_string().c_str());
    return 1;
  }
  for (const auto& issue : *issues) {
    std::printf("#%d\t%s\t%s\n", issue.number, issue.title.c_str(), issue.html_url.c_str());
  }
  std::fprintf(stderr, "%zu issues, %zu API requests\n", issues->size(), client.requests());
  return 0;
}
