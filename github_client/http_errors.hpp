#pragma once

#include <github_client/error.hpp>
#include <github_client/transport.hpp>

#include <string_view>

namespace github {

// Turns a non-2xx response into a typed error with a message a person can act on.
// `context` names the request, e.g. "POST /repos/octo/app/issues".
Error error_from_response(const HttpResponse& response, std::string_view context);

// Returns a rate_limited error for a 403/429 that the retry policy recognised as a rate limit.
Error rate_limited_error(const HttpResponse& response, std::string_view context);

// Turns a transport failure into a typed error: "could not reach GitHub for <context>: <what>".
Error error_from_transport(const TransportError& failure, std::string_view context);

}  // namespace github
