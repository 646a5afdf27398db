#include "github/app_auth.hpp"

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <ctime>
#include <optional>

#include "core/base64.hpp"
#include "core/errors.hpp"
#include "core/logging.hpp"

namespace mentorbot::github {

struct PrivateKey::Impl {
  EVP_PKEY* key = nullptr;
  ~Impl() { EVP_PKEY_free(key); }
};

PrivateKey::PrivateKey(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
PrivateKey::PrivateKey(PrivateKey&&) noexcept = default;
PrivateKey& PrivateKey::operator=(PrivateKey&&) noexcept = default;
PrivateKey::~PrivateKey() = default;

namespace {

// Probot's forms of a key in an environment variable: "\n" written as two characters, the
// line breaks lost altogether, or the whole PEM in base64.
std::string normalise_pem(std::string_view text) {
  std::string pem(text);
  for (auto pos = pem.find("\\n"); pos != std::string::npos; pos = pem.find("\\n", pos)) pem.replace(pos, 2, "\n");
  if (pem.find("-----BEGIN") == std::string::npos) {
    if (auto decoded = base64_decode(pem); decoded && decoded->find("-----BEGIN") != std::string::npos) pem = *decoded;
  }
  // A PEM squeezed onto one line: put the line breaks back around the armour.
  auto begin_end = pem.find("-----", pem.find("-----BEGIN") + 5);
  if (begin_end != std::string::npos && pem.find('\n') == std::string::npos) {
    auto body_start = begin_end + 5;
    auto footer = pem.find("-----END");
    if (footer != std::string::npos && footer > body_start) {
      std::string body = pem.substr(body_start, footer - body_start);
      std::string wrapped;
      for (char c : body) {
        if (c != ' ') wrapped += c;
      }
      std::string lines;
      for (std::size_t i = 0; i < wrapped.size(); i += 64) lines += wrapped.substr(i, 64) + "\n";
      pem = pem.substr(0, body_start) + "\n" + lines + pem.substr(footer);
    }
  }
  return pem;
}

}  // namespace

PrivateKey PrivateKey::parse(std::string_view text, std::string_view source) {
  std::string pem = normalise_pem(text);
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  EVP_PKEY* key = PEM_read_bio_PrivateKey(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  if (!key) throw ConfigError(std::string(source) + " is not a PEM private key (PKCS#1 or PKCS#8)");
  if (EVP_PKEY_get_base_id(key) != EVP_PKEY_RSA) {
    EVP_PKEY_free(key);
    throw ConfigError(std::string(source) + " is not an RSA key; GitHub Apps sign with RSA");
  }
  auto impl = std::make_unique<Impl>();
  impl->key = key;
  return PrivateKey(std::move(impl));
}

std::string PrivateKey::sign_rs256(std::string_view data) const {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  std::size_t length = 0;
  std::string signature;
  bool ok = EVP_DigestSignInit(ctx, nullptr, EVP_sha256(), nullptr, impl_->key) == 1 &&
            EVP_DigestSign(ctx, nullptr, &length, reinterpret_cast<const unsigned char*>(data.data()), data.size()) == 1;
  if (ok) {
    signature.resize(length);
    ok = EVP_DigestSign(ctx, reinterpret_cast<unsigned char*>(signature.data()), &length,
                        reinterpret_cast<const unsigned char*>(data.data()), data.size()) == 1;
    signature.resize(length);
  }
  EVP_MD_CTX_free(ctx);
  if (!ok) throw std::runtime_error("RS256 signing failed");
  return signature;
}

std::string make_app_jwt(const PrivateKey& key, std::string_view app_id, std::int64_t now_seconds) {
  std::string header = base64url_encode(R"({"alg":"RS256","typ":"JWT"})");
  std::string claims = base64url_encode(R"({"iat":)" + std::to_string(now_seconds - 60) + R"(,"exp":)" +
                                        std::to_string(now_seconds + 540) + R"(,"iss":")" + std::string(app_id) + "\"}");
  std::string signing_input = header + "." + claims;
  return signing_input + "." + base64url_encode(key.sign_rs256(signing_input));
}

TokenCache::TokenCache(Fetch fetch, Clock clock) : fetch_(std::move(fetch)), clock_(std::move(clock)) {
  if (!clock_) clock_ = [] { return static_cast<std::int64_t>(std::time(nullptr)); };
}

TokenCache::Entry& TokenCache::entry(std::int64_t installation_id) {
  std::lock_guard lock(mutex_);
  auto& slot = entries_[installation_id];
  if (!slot) slot = std::make_unique<Entry>();
  return *slot;
}

std::string TokenCache::token(std::int64_t installation_id) {
  constexpr std::int64_t renew_before = 5 * 60;
  Entry& e = entry(installation_id);
  std::lock_guard fetching(e.fetching);
  if (!e.current.token.empty() && e.current.expires_at - renew_before > clock_()) return e.current.token;
  auto fresh = fetch_(installation_id);
  redact_in_logs(fresh.token);
  {
    std::lock_guard lock(mutex_);
    ++fetches_;
  }
  e.current = std::move(fresh);
  return e.current.token;
}

void TokenCache::invalidate(std::int64_t installation_id, const std::string& token) {
  Entry& e = entry(installation_id);
  std::lock_guard fetching(e.fetching);
  if (e.current.token == token) e.current = {};
}

std::size_t TokenCache::fetches() const {
  std::lock_guard lock(mutex_);
  return fetches_;
}

}  // namespace mentorbot::github
