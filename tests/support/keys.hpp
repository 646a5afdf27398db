#pragma once
#include <string>

namespace testing {

struct KeyPair {
  std::string private_pkcs1;  // -----BEGIN RSA PRIVATE KEY----- (as GitHub issues them)
  std::string private_pkcs8;  // -----BEGIN PRIVATE KEY-----
  std::string public_pem;     // -----BEGIN PUBLIC KEY-----
};

// A 2048-bit RSA key made once per test process (making one takes a moment).
const KeyPair& test_app_key();
// Another one, for "the wrong key" cases.
const KeyPair& other_app_key();

}  // namespace testing
