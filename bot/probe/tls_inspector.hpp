#pragma once

#include <bot/core/error.hpp>
#include <bot/probe/connection_watch.hpp>
#include <bot/model/evidence.hpp>

#include <openssl/ssl.h>

#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

namespace pw {

// What OpenSSL showed during one connection's handshake, filled by callbacks on the
// probing thread.
struct TlsObservation {
  std::string host;                  // the name (or IP) the certificate must match
  bool insecure = false;             // record verification errors but do not fail on them
  ConnectionWatch* watch = nullptr;  // told when the handshake starts and ends
  bool captured = false;             // evidence holds the presented certificates
  TlsEvidence evidence;
  std::optional<std::string> verify_failure;  // the first verification error, in plain words
  std::string alert;                          // an alert the server sent, e.g. "handshake failure"
};

// Trust stores shared by every connection, each loaded once: the system CA store, or the
// CA file a check names (which replaces the system store for that check).
class TrustStores {
 public:
  TrustStores() = default;
  ~TrustStores();
  TrustStores(const TrustStores&) = delete;
  TrustStores& operator=(const TrustStores&) = delete;

  // Returns the store for `ca_file` (the system store when absent), loading it on first
  // use. Fails with a readable reason when the file cannot be read or holds no certificate.
  Expected<X509_STORE*> get(const std::optional<std::string>& ca_file);

 private:
  std::mutex m_mutex;
  X509_STORE* m_system = nullptr;
  std::map<std::string, X509_STORE*> m_files;
};

// Prepares one connection's `ctx`: trust `store`, check the certificate against
// `observation.host`, abort the handshake on a verification error unless insecure, and
// record evidence (version, certificates, errors, alerts) into `observation`, which must
// outlive the handshake.
void prepare_tls(SSL_CTX* ctx, X509_STORE* store, TlsObservation& observation);

// Clears this thread's OpenSSL error queue; call before a handshake.
void clear_tls_errors();

// Returns why a handshake with `endpoint` failed, in plain words: the verification error,
// the alert the server sent, or OpenSSL's reason from this thread's error queue.
std::string handshake_failure_text(const TlsObservation& observation, std::string_view endpoint);

// Returns the subject, issuer, names and validity of `cert`.
CertificateInfo describe_certificate(X509* cert);

}  // namespace pw
