// What of a PostgreSQL URL may be shown: everything but the password.
#include <catch2/catch.hpp>

#include "store/postgres.hpp"
#include "store/sqlite.hpp"

using mentorbot::store::postgres::redacted;

TEST_CASE("a database URL is shown without its password", "[postgres]") {
  CHECK(redacted("postgresql://bot:s3cret@db.example:5432/mentorbot") == "postgresql://bot:***@db.example:5432/mentorbot");
  CHECK(redacted("postgresql://bot@db/mentorbot") == "postgresql://bot@db/mentorbot");
  CHECK(redacted("postgresql://db/mentorbot?user=bot&password=s3cret&sslmode=require") ==
        "postgresql://db/mentorbot?user=bot&password=***&sslmode=require");
  CHECK(redacted("postgresql://a:b@db/x?password=c") == "postgresql://a:***@db/x?password=***");
}

TEST_CASE("SQL written with $N parameters is numbered for SQLite, quotes left alone", "[sqlite]") {
  using mentorbot::store::sqlite::numbered_parameters;
  CHECK(numbered_parameters("SELECT $3 + $1 WHERE x = '$2' AND y = $10") == "SELECT ?3 + ?1 WHERE x = '$2' AND y = ?10");
}
