#include <bot/probe/tls_inspector.hpp>

#include <bot/core/text.hpp>
#include <bot/core/timestamp.hpp>

#include <fmt/format.h>
#include <openssl/err.h>
#include <openssl/x509v3.h>

#include <arpa/inet.h>

#include <array>
#include <ctime>
#include <filesystem>
#include <memory>

namespace pw {

namespace {

constexpr std::size_t k_max_names = 32;
constexpr std::size_t k_max_name_text = 256;
constexpr std::size_t k_names_shown = 5;

int observation_index() {
  static const int index = SSL_CTX_get_ex_new_index(0, nullptr, nullptr, nullptr, nullptr);
  return index;
}

TlsObservation* observation_of(const SSL* ssl) {
  if (ssl == nullptr) {
    return nullptr;
  }
  return static_cast<TlsObservation*>(SSL_CTX_get_ex_data(SSL_get_SSL_CTX(ssl), observation_index()));
}

TimePoint to_time_point(const ASN1_TIME* time) {
  std::tm parts{};
  if (time == nullptr || ASN1_TIME_to_tm(time, &parts) != 1) {
    return TimePoint{};
  }
  return std::chrono::system_clock::from_time_t(timegm(&parts));
}

std::string name_text(const X509_NAME* name) {
  if (name == nullptr) {
    return {};
  }
  const std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), &BIO_free);
  if (!bio || X509_NAME_print_ex(bio.get(), name, 0, XN_FLAG_RFC2253) < 0) {
    return {};
  }
  char* data = nullptr;
  const long length = BIO_get_mem_data(bio.get(), &data);
  if (data == nullptr || length <= 0) {
    return {};
  }
  const std::string_view text(data, static_cast<std::size_t>(length));
  return sanitize_utf8(utf8_prefix(text, k_max_name_text));
}

std::string printable(const unsigned char* data, int length) {
  if (data == nullptr || length <= 0) {
    return {};
  }
  const std::string_view raw(reinterpret_cast<const char*>(data), static_cast<std::size_t>(length));
  return sanitize_utf8(utf8_prefix(raw, k_max_name_text));
}

std::vector<std::string> alt_names(X509* cert) {
  std::vector<std::string> out;
  auto* names = static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr));
  if (names == nullptr) {
    return out;
  }
  const int count = sk_GENERAL_NAME_num(names);
  for (int i = 0; i < count && out.size() < k_max_names; ++i) {
    const GENERAL_NAME* entry = sk_GENERAL_NAME_value(names, i);
    if (entry->type == GEN_DNS) {
      out.push_back(printable(ASN1_STRING_get0_data(entry->d.dNSName), ASN1_STRING_length(entry->d.dNSName)));
    } else if (entry->type == GEN_IPADD) {
      const int length = ASN1_STRING_length(entry->d.iPAddress);
      const unsigned char* bytes = ASN1_STRING_get0_data(entry->d.iPAddress);
      std::array<char, INET6_ADDRSTRLEN> text{};
      const int family = length == 4 ? AF_INET : (length == 16 ? AF_INET6 : 0);
      if (family != 0 && inet_ntop(family, bytes, text.data(), text.size()) != nullptr) {
        out.emplace_back(text.data());
      }
    }
  }
  GENERAL_NAMES_free(names);
  return out;
}

// Records the certificates a server presented: the leaf and the earliest not-after.
void capture_chain(TlsObservation& observation, X509* leaf, STACK_OF(X509) * chain) {
  if (leaf != nullptr) {
    observation.evidence.leaf = describe_certificate(leaf);
    observation.evidence.chain_not_after = observation.evidence.leaf->not_after;
  }
  const int count = chain == nullptr ? 0 : sk_X509_num(chain);
  for (int i = 0; i < count; ++i) {
    const TimePoint not_after = to_time_point(X509_get0_notAfter(sk_X509_value(chain, i)));
    if (!observation.evidence.chain_not_after || not_after < *observation.evidence.chain_not_after) {
      observation.evidence.chain_not_after = not_after;
    }
  }
  observation.captured = leaf != nullptr;
}

std::string date_of(TimePoint time) { return format_timestamp(time).substr(0, 10); }

std::string names_of(const CertificateInfo& info) {
  if (info.names.empty()) {
    return info.subject.empty() ? "an unnamed subject" : info.subject;
  }
  std::string out;
  for (std::size_t i = 0; i < info.names.size() && i < k_names_shown; ++i) {
    out += (i == 0 ? "" : ", ") + info.names[i];
  }
  if (info.names.size() > k_names_shown) {
    out += fmt::format(" and {} more", info.names.size() - k_names_shown);
  }
  return out;
}

// Explains verification error `code` met at `cert` (at chain `depth`) in plain words.
std::string explain_verify_error(int code, X509* cert, int depth, std::string_view host) {
  const CertificateInfo info = cert != nullptr ? describe_certificate(cert) : CertificateInfo{};
  switch (code) {
    case X509_V_ERR_CERT_HAS_EXPIRED:
      return depth == 0
                 ? fmt::format("TLS certificate for {} expired on {} (not after {})", names_of(info),
                               date_of(info.not_after), format_timestamp(info.not_after))
                 : fmt::format("TLS certificate chain has an expired CA certificate {}: expired on {} (not after {})",
                               info.subject, date_of(info.not_after), format_timestamp(info.not_after));
    case X509_V_ERR_CERT_NOT_YET_VALID:
      return fmt::format("TLS certificate for {} is not valid until {} (not before {})", names_of(info),
                         date_of(info.not_before), format_timestamp(info.not_before));
    case X509_V_ERR_HOSTNAME_MISMATCH:
    case X509_V_ERR_IP_ADDRESS_MISMATCH: return fmt::format("TLS certificate is for {}, not {}", names_of(info), host);
    case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
      return fmt::format("TLS certificate for {} is self-signed and not trusted; set ca_file to trust it",
                         names_of(info));
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
    case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
    case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
      return fmt::format("TLS certificate is issued by unknown CA {}; set ca_file to trust a private CA",
                         info.issuer.empty() ? "(unnamed)" : info.issuer);
    default:
      return fmt::format("TLS certificate verification failed: {} (certificate {})",
                         X509_verify_cert_error_string(code), info.subject);
  }
}

int verify_callback(int preverify_ok, X509_STORE_CTX* store_ctx) {
  const auto* ssl =
      static_cast<const SSL*>(X509_STORE_CTX_get_ex_data(store_ctx, SSL_get_ex_data_X509_STORE_CTX_idx()));
  TlsObservation* observation = observation_of(ssl);
  if (observation == nullptr) {
    return preverify_ok;
  }
  if (!observation->captured) {
    capture_chain(*observation, X509_STORE_CTX_get0_cert(store_ctx), X509_STORE_CTX_get0_untrusted(store_ctx));
    observation->evidence.version = SSL_get_version(ssl);
  }
  if (preverify_ok == 0 && !observation->verify_failure) {
    observation->verify_failure =
        explain_verify_error(X509_STORE_CTX_get_error(store_ctx), X509_STORE_CTX_get_current_cert(store_ctx),
                             X509_STORE_CTX_get_error_depth(store_ctx), observation->host);
    observation->evidence.verify_error = *observation->verify_failure;
  }
  return observation->insecure ? 1 : preverify_ok;
}

void info_callback(const SSL* ssl, int where, int value) {
  TlsObservation* observation = observation_of(ssl);
  if (observation == nullptr) {
    return;
  }
  if ((where & SSL_CB_HANDSHAKE_START) != 0 && observation->watch != nullptr) {
    observation->watch->mark_tls_started();
  }
  if ((where & SSL_CB_HANDSHAKE_DONE) != 0) {
    observation->evidence.version = SSL_get_version(ssl);
    capture_chain(*observation, SSL_get0_peer_certificate(ssl), SSL_get_peer_cert_chain(ssl));
    if (observation->watch != nullptr) {
      observation->watch->mark_tls_done();
    }
  }
  if ((where & SSL_CB_ALERT) != 0 && (where & SSL_CB_READ) != 0 && observation->alert.empty()) {
    observation->alert = SSL_alert_desc_string_long(value);
  }
}

std::string take_error_reason() {
  std::string reason;
  unsigned long code = 0;
  while ((code = ERR_get_error()) != 0) {
    const char* text = ERR_reason_error_string(code);
    if (text != nullptr && reason.empty()) {
      reason = text;  // the earliest error is the cause; later ones come from the cleanup
    }
  }
  return reason;
}

bool is_ip(const std::string& host) {
  std::array<unsigned char, 16> buffer{};
  return inet_pton(AF_INET, host.c_str(), buffer.data()) == 1 || inet_pton(AF_INET6, host.c_str(), buffer.data()) == 1;
}

}  // namespace

CertificateInfo describe_certificate(X509* cert) {
  CertificateInfo info;
  info.subject = name_text(X509_get_subject_name(cert));
  info.issuer = name_text(X509_get_issuer_name(cert));
  info.names = alt_names(cert);
  info.not_before = to_time_point(X509_get0_notBefore(cert));
  info.not_after = to_time_point(X509_get0_notAfter(cert));
  return info;
}

TrustStores::~TrustStores() {
  X509_STORE_free(m_system);
  for (auto& [path, store] : m_files) {
    X509_STORE_free(store);
  }
}

Expected<X509_STORE*> TrustStores::get(const std::optional<std::string>& ca_file) {
  const std::lock_guard lock(m_mutex);
  if (!ca_file) {
    if (m_system == nullptr) {
      X509_STORE* store = X509_STORE_new();
      if (store == nullptr || X509_STORE_set_default_paths(store) != 1) {
        X509_STORE_free(store);
        ERR_clear_error();
        return fail("cannot load the system CA store");
      }
      m_system = store;
    }
    return m_system;
  }
  const auto found = m_files.find(*ca_file);
  if (found != m_files.end()) {
    return found->second;
  }
  std::error_code ignored;
  if (!std::filesystem::is_regular_file(*ca_file, ignored)) {
    return fail(fmt::format("cannot use ca_file {}: no such file", *ca_file));
  }
  X509_STORE* store = X509_STORE_new();
  ERR_clear_error();
  if (store == nullptr || X509_STORE_load_file(store, ca_file->c_str()) != 1) {
    X509_STORE_free(store);
    const std::string reason = take_error_reason();
    return fail(fmt::format("cannot use ca_file {}: {}", *ca_file, reason.empty() ? "no certificate found" : reason));
  }
  m_files.emplace(*ca_file, store);
  return store;
}

void prepare_tls(SSL_CTX* ctx, X509_STORE* store, TlsObservation& observation) {
  SSL_CTX_set1_cert_store(ctx, store);
  SSL_CTX_set_ex_data(ctx, observation_index(), &observation);
  X509_VERIFY_PARAM* param = SSL_CTX_get0_param(ctx);
  X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
  if (is_ip(observation.host)) {
    X509_VERIFY_PARAM_set1_ip_asc(param, observation.host.c_str());
  } else {
    X509_VERIFY_PARAM_set1_host(param, observation.host.c_str(), observation.host.size());
  }
  // With SSL_VERIFY_NONE OpenSSL still verifies and calls the callback; it only does not
  // abort, which is what `insecure` wants: the evidence without the failure.
  SSL_CTX_set_verify(ctx, observation.insecure ? SSL_VERIFY_NONE : SSL_VERIFY_PEER, verify_callback);
  SSL_CTX_set_info_callback(ctx, info_callback);
}

void clear_tls_errors() { ERR_clear_error(); }

std::string handshake_failure_text(const TlsObservation& observation, std::string_view endpoint) {
  if (observation.verify_failure && !observation.insecure) {
    take_error_reason();
    return *observation.verify_failure;
  }
  const std::string reason = take_error_reason();
  if (!observation.alert.empty()) {
    return fmt::format("TLS handshake with {} failed: the server sent alert \"{}\"", endpoint, observation.alert);
  }
  if (reason.empty()) {
    return fmt::format("TLS handshake with {} failed", endpoint);
  }
  if (reason == "wrong version number" || reason == "packet length too long") {
    return fmt::format("TLS handshake with {} failed: {} (is this port serving plain HTTP?)", endpoint, reason);
  }
  return fmt::format("TLS handshake with {} failed: {}", endpoint, reason);
}

}  // namespace pw
