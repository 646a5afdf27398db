#include "support/keys.hpp"

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include <stdexcept>

namespace testing {
namespace {

std::string bio_text(BIO* bio) {
  char* data = nullptr;
  long n = BIO_get_mem_data(bio, &data);
  std::string out(data, static_cast<std::size_t>(n));
  BIO_free(bio);
  return out;
}

KeyPair make() {
  EVP_PKEY* key = EVP_RSA_gen(2048);
  if (!key) throw std::runtime_error("EVP_RSA_gen failed");
  KeyPair k;
  BIO* b = BIO_new(BIO_s_mem());
  PEM_write_bio_PrivateKey_traditional(b, key, nullptr, nullptr, 0, nullptr, nullptr);
  k.private_pkcs1 = bio_text(b);
  b = BIO_new(BIO_s_mem());
  PEM_write_bio_PrivateKey(b, key, nullptr, nullptr, 0, nullptr, nullptr);
  k.private_pkcs8 = bio_text(b);
  b = BIO_new(BIO_s_mem());
  PEM_write_bio_PUBKEY(b, key);
  k.public_pem = bio_text(b);
  EVP_PKEY_free(key);
  return k;
}

}  // namespace

const KeyPair& test_app_key() {
  static const KeyPair k = make();
  return k;
}

const KeyPair& other_app_key() {
  static const KeyPair k = make();
  return k;
}

}  // namespace testing
