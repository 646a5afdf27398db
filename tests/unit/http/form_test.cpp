#include <catch2/catch.hpp>

#include "http/form.hpp"

using mentorbot::http::form_field;

TEST_CASE("form bodies give back the payload field decoded", "[form]") {
  CHECK(form_field("payload=%7B%22a%22%3A1%7D", "payload") == std::string(R"({"a":1})"));
  CHECK(form_field("x=1&payload=a+b%20c&y=2", "payload") == std::string("a b c"));
  CHECK(form_field("payload=", "payload") == std::string());
  CHECK_FALSE(form_field("other=1", "payload").has_value());
  CHECK_FALSE(form_field("", "payload").has_value());
  CHECK_FALSE(form_field("payload=%7", "payload").has_value());
  CHECK_FALSE(form_field("payload=%zz", "payload").has_value());
}
