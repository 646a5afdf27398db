#include <catch2/catch.hpp>

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <boost/json/parse.hpp>

#include "core/base64.hpp"
#include "core/errors.hpp"
#include "core/json.hpp"
#include "core/logging.hpp"
#include "core/time.hpp"
#include "github/app_auth.hpp"
#include "support/keys.hpp"

using namespace mentorbot;
using namespace mentorbot::github;

namespace {

bool verifies(const std::string& jwt, const std::string& public_pem) {
  auto last = jwt.rfind('.');
  auto signature = base64_decode(jwt.substr(last + 1)).value();
  BIO* bio = BIO_new_mem_buf(public_pem.data(), static_cast<int>(public_pem.size()));
  EVP_PKEY* key = PEM_read_bio_PUBKEY(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  auto data = jwt.substr(0, last);
  bool ok = EVP_DigestVerifyInit(ctx, nullptr, EVP_sha256(), nullptr, key) == 1 &&
            EVP_DigestVerify(ctx, reinterpret_cast<const unsigned char*>(signature.data()), signature.size(),
                             reinterpret_cast<const unsigned char*>(data.data()), data.size()) == 1;
  EVP_MD_CTX_free(ctx);
  EVP_PKEY_free(key);
  return ok;
}

}  // namespace

TEST_CASE("the App JWT is RS256, signed with the App key, iat a minute back, exp within ten minutes", "[auth]") {
  auto key = PrivateKey::parse(testing::test_app_key().private_pkcs1, "PRIVATE_KEY");
  auto jwt = make_app_jwt(key, "424242", 1'700'000'000);
  REQUIRE(std::count(jwt.begin(), jwt.end(), '.') == 2);
  CHECK(jwt.find('=') == std::string::npos);  // base64url, no padding
  auto header = boost::json::parse(base64_decode(jwt.substr(0, jwt.find('.'))).value());
  CHECK(json_string(header, {"alg"}) == std::string("RS256"));
  auto first = jwt.find('.'), second = jwt.find('.', first + 1);
  auto claims = boost::json::parse(base64_decode(jwt.substr(first + 1, second - first - 1)).value());
  CHECK(json_int(claims, {"iat"}) == 1'700'000'000 - 60);
  CHECK(json_int(claims, {"exp"}) == 1'700'000'000 + 540);
  CHECK(json_string(claims, {"iss"}) == std::string("424242"));
  CHECK(verifies(jwt, testing::test_app_key().public_pem));
  CHECK_FALSE(verifies(jwt, testing::other_app_key().public_pem));
}

TEST_CASE("the private key is read in every form Probot reads it", "[auth]") {
  const auto& k = testing::test_app_key();
  auto jwt_of = [](const std::string& text) { return make_app_jwt(PrivateKey::parse(text, "PRIVATE_KEY"), "1", 1000); };
  auto expected = jwt_of(k.private_pkcs1);
  CHECK(jwt_of(k.private_pkcs8) == expected);  // RSA signatures (PKCS#1 v1.5) are deterministic
  std::string escaped = k.private_pkcs1;
  for (auto pos = escaped.find('\n'); pos != std::string::npos; pos = escaped.find('\n', pos + 2)) escaped.replace(pos, 1, "\\n");
  CHECK(jwt_of(escaped) == expected);
  CHECK(jwt_of(base64_encode(k.private_pkcs1)) == expected);
  std::string one_line = k.private_pkcs1;
  std::erase(one_line, '\n');
  CHECK(jwt_of(one_line) == expected);
}

TEST_CASE("a key that is not a key is refused without quoting it", "[auth]") {
  try {
    PrivateKey::parse("-----BEGIN RSA PRIVATE KEY-----\nbm90IGEga2V5\n-----END RSA PRIVATE KEY-----\n", "PRIVATE_KEY_PATH");
    FAIL("accepted");
  } catch (const ConfigError& e) {
    CHECK(std::string(e.what()) == "PRIVATE_KEY_PATH is not a PEM private key (PKCS#1 or PKCS#8)");
  }
  CHECK_THROWS_AS(PrivateKey::parse("", "PRIVATE_KEY"), ConfigError);
}

TEST_CASE("installation tokens are cached, renewed before they expire, and forgotten after a 401", "[auth]") {
  std::int64_t now = 10'000;
  int fetched = 0;
  TokenCache cache(
      [&](std::int64_t installation) {
        ++fetched;
        return InstallationToken{"ghs_token" + std::to_string(installation) + "_" + std::to_string(fetched), now + 3600};
      },
      [&] { return now; });
  auto first = cache.token(1);
  CHECK(cache.token(1) == first);
  CHECK(fetched == 1);
  CHECK(cache.token(2) != first);  // one per installation
  CHECK(fetched == 2);
  now += 3600 - 5 * 60 - 1;  // just over five minutes left: still good
  CHECK(cache.token(1) == first);
  now += 2;  // under five minutes left: renewed
  auto second = cache.token(1);
  CHECK(second != first);
  cache.invalidate(1, "some-older-token");  // not the current one: ignored
  CHECK(cache.token(1) == second);
  cache.invalidate(1, second);
  CHECK(cache.token(1) != second);
  // Every token is registered with the log redactor the moment it exists.
  CHECK(redact("token " + second) == "token [redacted]");
}

TEST_CASE("GitHub's timestamps parse", "[auth]") {
  CHECK(parse_iso8601_ms("2016-07-11T22:14:10Z") == 1468275250000);
  CHECK_FALSE(parse_iso8601_ms("yesterday").has_value());
}
