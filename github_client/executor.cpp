#include <github_client/executor.hpp>

#include <github_client/http_errors.hpp>

#include <fmt/format.h>

namespace github {

namespace {

bool is_write(std::string_view method) { return method != "GET" && method != "HEAD"; }

std::int64_t whole_seconds(std::chrono::milliseconds duration) { return (duration.count() + 999) / 1000; }

void replace_all(std::string& text, std::string_view needle, std::string_view replacement) {
  if (needle.empty()) {
    return;
  }
  for (auto pos = text.find(needle); pos != std::string::npos; pos = text.find(needle, pos + replacement.size())) {
    text.replace(pos, needle.size(), replacement);
  }
}

// "502" or "a connection reset": what the retry is after, for messages.
std::string retry_reason(const std::expected<HttpResponse, TransportError>& sent,
                         const std::optional<TransportError>& failure) {
  if (failure) {
    return fmt::format("a retry after a transport error ({})", transport_error_kind_name(failure->kind));
  }
  return fmt::format("a retry after {}", sent ? sent->status : 0);
}

}  // namespace

RequestExecutor::RequestExecutor(ExecutorOptions options, Transport& transport, Clock& clock)
    : m_options(std::move(options)),
      m_transport(transport),
      m_clock(clock),
      m_policy(m_options.retry, m_options.jitter_seed) {}

Error RequestExecutor::redact(Error error) const {
  const std::string& token = m_options.token;
  replace_all(error.message, token, "***");
  for (auto& entry : error.errors) {
    for (std::string* field : {&entry.resource, &entry.code, &entry.field, &entry.message, &entry.value}) {
      replace_all(*field, token, "***");
    }
  }
  return error;
}

HttpRequest RequestExecutor::build(const Call& call) const {
  HttpRequest request{call.method, call.url, {}, call.body};
  request.headers = {
      {"Accept", "application/vnd.github+json"},
      {"X-GitHub-Api-Version", "2022-11-28"},
      {"User-Agent", m_options.user_agent},
  };
  if (!m_options.token.empty()) {
    request.headers.emplace_back("Authorization", "Bearer " + m_options.token);
  }
  if (!call.body.empty()) {
    request.headers.emplace_back("Content-Type", "application/json; charset=utf-8");
  }
  return request;
}

void RequestExecutor::note_rate_limit(const Headers& headers) {
  RateLimit limit = read_rate_limit(headers);
  if (!limit.remaining) {
    return;
  }
  m_remaining = limit.remaining;
  if (*limit.remaining == 0 && limit.reset) {
    m_blocked_until = limit.reset;
  } else {
    m_blocked_until.reset();
  }
}

void RequestExecutor::pace() {
  if (!m_last_write || m_options.write_spacing.count() <= 0) {
    return;
  }
  auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(m_clock.now() - *m_last_write);
  if (elapsed < m_options.write_spacing) {
    m_clock.sleep_for(m_options.write_spacing - elapsed);
  }
}

Result<void> RequestExecutor::wait(std::chrono::milliseconds duration, std::string_view reason, const Call& call,
                                   const Error* last_error) {
  if (duration.count() <= 0) {
    return {};
  }
  if (m_waited + duration > m_options.wait_budget) {
    Error error;
    error.kind = ErrorKind::budget_exhausted;
    error.status = last_error != nullptr ? last_error->status : 0;
    error.message = fmt::format(
        "gave up on {}: waiting {} s for {} would exceed the wait budget of {} s ({} s already spent)", call.context,
        whole_seconds(duration), reason, whole_seconds(m_options.wait_budget), whole_seconds(m_waited));
    if (last_error != nullptr) {
      error.message += ". Last error: " + last_error->message;
      error.errors = last_error->errors;
    }
    return fail(redact(std::move(error)));
  }
  m_clock.sleep_for(duration);
  m_waited += duration;
  return {};
}

Result<void> RequestExecutor::wait_for_reset(const Call& call) {
  if (!m_blocked_until) {
    return {};
  }
  auto now = m_clock.now();
  if (*m_blocked_until <= now) {
    m_blocked_until.reset();
    return {};
  }
  auto until = std::chrono::duration_cast<std::chrono::milliseconds>(*m_blocked_until - now);
  auto waited = wait(until + m_policy.options().reset_margin, "the rate limit to reset", call, nullptr);
  if (waited) {
    m_blocked_until.reset();
  }
  return waited;
}

Result<HttpResponse> RequestExecutor::execute(const Call& call) {
  const bool write = is_write(call.method);
  const int max_attempts = std::max(1, m_policy.options().max_attempts);
  int secondary_waits = 0;
  bool maybe_applied = false;
  for (int attempt = 1;; ++attempt) {
    if (auto ready = wait_for_reset(call); !ready) {
      return fail(std::move(ready.error()));
    }
    if (write) {
      pace();
    }
    auto sent = m_transport.send(build(call));
    ++m_requests;
    if (write) {
      m_last_write = m_clock.now();
    }
    Error failure;
    std::optional<TransportError> transport_failure;
    bool applied_now = false;
    std::optional<RateLimitWait> limited;
    if (!sent) {
      transport_failure = sent.error();
      failure = error_from_transport(sent.error(), call.context);
      applied_now = write && sent.error().request_sent;
    } else {
      note_rate_limit(sent->headers);
      if (sent->status >= 200 && sent->status < 300) {
        return std::move(*sent);
      }
      limited = m_policy.rate_limit_wait(*sent, m_clock.now(), secondary_waits);
      failure = limited ? rate_limited_error(*sent, call.context) : error_from_response(*sent, call.context);
      if (limited) {
        secondary_waits += limited->secondary ? 1 : 0;
      } else if (RetryPolicy::is_retryable_status(sent->status)) {
        applied_now = write;
      } else {
        failure.may_have_applied = maybe_applied;
        return fail(redact(std::move(failure)));
      }
    }
    maybe_applied = maybe_applied || applied_now;
    if (applied_now && call.mode != RetryMode::idempotent) {
      if (call.mode == RetryMode::never_if_applied || !call.verify) {
        failure.may_have_applied = true;
        return fail(redact(std::move(failure)));
      }
      auto found = call.verify();
      if (!found) {
        failure.message += fmt::format("; then checking whether {} failed: {}", call.effect, found.error().message);
        failure.may_have_applied = true;
        return fail(redact(std::move(failure)));
      }
      if (*found) {
        return std::move(**found);
      }
      maybe_applied = false;
    }
    if (attempt >= max_attempts) {
      if (attempt > 1) {
        failure.message += fmt::format(" (after {} attempts)", attempt);
      }
      failure.may_have_applied = maybe_applied;
      return fail(redact(std::move(failure)));
    }
    auto pause = limited ? limited->wait : m_policy.backoff(attempt);
    auto reason = limited ? limited->reason : retry_reason(sent, transport_failure);
    failure.may_have_applied = maybe_applied;
    if (auto waited = wait(pause, reason, call, &failure); !waited) {
      waited.error().may_have_applied = maybe_applied;
      return fail(std::move(waited.error()));
    }
    // GitHub documents a rate-limited request as not applied; a create is checked anyway, since
    // a duplicate is the worst outcome. The check runs after the wait, when it can get through.
    if (limited && write && call.mode == RetryMode::verify_before_retry && call.verify) {
      auto found = call.verify();
      if (!found) {
        failure.message += fmt::format("; then checking whether {} failed: {}", call.effect, found.error().message);
        failure.may_have_applied = maybe_applied;
        return fail(redact(std::move(failure)));
      }
      if (*found) {
        return std::move(**found);
      }
    }
  }
}

}  // namespace github
