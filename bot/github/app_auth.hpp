#pragma once
// Authenticating as the GitHub App: its private key, the RS256 JWT it signs (for /app routes),
// and the installation access tokens the JWT buys, cached per installation and renewed before
// they expire. Neither the key nor a token is ever written to a log (both are registered with
// the log redactor the moment they exist).
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

namespace mentorbot::github {

class PrivateKey {
 public:
  // Accepts what Probot accepts: PEM (PKCS#1 "RSA PRIVATE KEY" or PKCS#8 "PRIVATE KEY"), with
  // real or literal "\n" line breaks, or the whole PEM base64-encoded. Throws ConfigError
  // naming `source` (never quoting the key).
  static PrivateKey parse(std::string_view text, std::string_view source);
  std::string sign_rs256(std::string_view data) const;

  PrivateKey(PrivateKey&&) noexcept;
  PrivateKey& operator=(PrivateKey&&) noexcept;
  ~PrivateKey();

 private:
  struct Impl;
  explicit PrivateKey(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// header.payload.signature, with iat 60 s in the past (clock drift) and exp 9 min ahead.
std::string make_app_jwt(const PrivateKey& key, std::string_view app_id, std::int64_t now_seconds);

struct InstallationToken {
  std::string token;
  std::int64_t expires_at = 0;  // unix seconds
};

// Installation tokens, one per installation, fetched through `fetch` (a POST to
// /app/installations/{id}/access_tokens made with the App JWT) and reused until 5 minutes
// before they expire. Thread-safe; concurrent callers for one installation share one fetch.
class TokenCache {
 public:
  using Fetch = std::function<InstallationToken(std::int64_t installation_id)>;
  using Clock = std::function<std::int64_t()>;  // unix seconds
  explicit TokenCache(Fetch fetch, Clock clock = nullptr);

  std::string token(std::int64_t installation_id);
  // After GitHub answered 401 to `token`: forget it, so the next call fetches a new one.
  void invalidate(std::int64_t installation_id, const std::string& token);
  std::size_t fetches() const;

 private:
  struct Entry {
    std::mutex fetching;  // one fetch at a time per installation
    InstallationToken current;
  };
  Entry& entry(std::int64_t installation_id);

  Fetch fetch_;
  Clock clock_;
  mutable std::mutex mutex_;
  std::map<std::int64_t, std::unique_ptr<Entry>> entries_;
  std::size_t fetches_ = 0;
};


}  // namespace mentorbot::github
