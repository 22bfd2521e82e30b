#include <github_client/http_errors.hpp>

#include <github_client/decode.hpp>

#include <fmt/format.h>

namespace github {

namespace {

// "401 Bad credentials", or just "401" when the body carried no message.
std::string status_text(int status, const std::string& message) {
  return message.empty() ? fmt::format("{}", status) : fmt::format("{} {}", status, message);
}

std::string validation_summary(const std::vector<ValidationError>& errors) {
  std::string summary;
  for (const auto& error : errors) {
    summary += summary.empty() ? "" : "; ";
    summary += describe(error);
  }
  return summary;
}

}  // namespace

Error error_from_response(const HttpResponse& response, std::string_view context) {
  ApiErrorBody body = decode_error_body(response.body);
  std::string status = status_text(response.status, body.message);
  Error error;
  error.status = response.status;
  switch (response.status) {
    case 401:
      error.kind = ErrorKind::unauthorized;
      error.message =
          fmt::format("GitHub rejected the token ({}) for {}: check that the token is set, not expired and not revoked",
                      status, context);
      return error;
    case 403:
      error.kind = ErrorKind::forbidden;
      error.message = fmt::format(
          "GitHub refused {} ({}): the workflow needs `permissions: issues: write`, and pull requests from forks "
          "get a read-only token",
          context, status);
      return error;
    case 404:
      error.kind = ErrorKind::not_found;
      error.message = fmt::format(
          "GitHub found nothing at {} ({}): check the repository name and that the token can see it", context, status);
      return error;
    case 410:
      error.kind = ErrorKind::gone;
      error.message = fmt::format(
          "GitHub refused {} ({}): issues are disabled on the repository; enable them under Settings > General > "
          "Features",
          context, status);
      return error;
    case 422:
      error.kind = ErrorKind::validation;
      error.errors = body.errors;
      error.message = body.errors.empty() ? fmt::format("GitHub rejected {} ({})", context, status)
                                          : fmt::format("GitHub rejected {} ({}): {}", context, status,
                                                        validation_summary(body.errors));
      return error;
    default: break;
  }
  if (response.status == 429) {
    return rate_limited_error(response, context);
  }
  if (response.status >= 500) {
    error.kind = ErrorKind::server_error;
    error.message = fmt::format("GitHub failed {} with {}", context, status);
  } else {
    error.kind = response.status == 301 ? ErrorKind::moved : ErrorKind::request_rejected;
    error.message = fmt::format("GitHub rejected {} ({})", context, status);
    if (response.status >= 300 && response.status < 400) {
      if (const std::string* location = find_header(response.headers, "location")) {
        error.message += fmt::format(": it moved to {}", location->substr(0, 300));
      }
    }
  }
  return error;
}

Error rate_limited_error(const HttpResponse& response, std::string_view context) {
  Error error;
  error.kind = ErrorKind::rate_limited;
  error.status = response.status;
  error.message = fmt::format("GitHub rate limit hit on {} ({})", context,
                              status_text(response.status, decode_error_body(response.body).message));
  return error;
}

Error error_from_transport(const TransportError& failure, std::string_view context) {
  Error error;
  error.kind = ErrorKind::transport;
  error.message = fmt::format("could not reach GitHub for {}: {}", context, failure.message);
  return error;
}

}  // namespace github
