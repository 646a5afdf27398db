#include <catch2/catch.hpp>

#include "http/signature.hpp"

using mentorbot::http::hmac_sha256_hex;
using mentorbot::http::signature_matches;

TEST_CASE("HMAC-SHA256 matches GitHub's documented test vector", "[signature]") {
  // docs.github.com, "Validating webhook deliveries"
  CHECK(hmac_sha256_hex("It's a Secret to Everybody", "Hello, World!") ==
        "757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17");
}

TEST_CASE("a signature is accepted only when it is exactly right", "[signature]") {
  const std::string secret = "It's a Secret to Everybody";
  const std::string good = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";
  CHECK(signature_matches(secret, "Hello, World!", good));
  CHECK(signature_matches(secret, "Hello, World!",
                          "sha256=757107EA0EB2509FC211221CCE984B8A37570B6D7586C22C46F4379C8B043E17"));
  CHECK_FALSE(signature_matches(secret, "Hello, World?", good));
  CHECK_FALSE(signature_matches("another secret", "Hello, World!", good));
  CHECK_FALSE(signature_matches(secret, "Hello, World!", good.substr(0, good.size() - 1)));
  CHECK_FALSE(signature_matches(secret, "Hello, World!", good + "0"));
  CHECK_FALSE(signature_matches(secret, "Hello, World!", "sha1=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"));
  CHECK_FALSE(signature_matches(secret, "Hello, World!", ""));
}
