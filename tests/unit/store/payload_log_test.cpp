#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "store/payload_log.hpp"
#include "store/sqlite.hpp"
#include "support/temp_dir.hpp"

using mentorbot::store::PayloadLog;
using mentorbot::store::PayloadRef;

TEST_CASE("payloads written in a batch read back byte for byte", "[payload_log]") {
  testing::TempDir dir;
  PayloadLog log(dir.path() / "p");
  std::string big(25 * 1024, 'x');
  big[100] = '\0';
  std::vector<std::string_view> batch = {"{\"a\":1}", big, ""};
  auto chunk = log.plan(batch);
  log.write(chunk);
  REQUIRE(chunk.refs.size() == 3);
  CHECK(chunk.offset % PayloadLog::block == 0);
  CHECK(chunk.size % PayloadLog::block == 0);
  CHECK(log.read(chunk.refs[0]) == std::string("{\"a\":1}"));
  CHECK(log.read(chunk.refs[1]) == big);
  CHECK(log.read(chunk.refs[2]) == std::string());
}

TEST_CASE("a reopened log continues after what is there", "[payload_log]") {
  testing::TempDir dir;
  PayloadRef first;
  {
    PayloadLog log(dir.path() / "p");
    std::vector<std::string_view> batch = {"first"};
    auto chunk = log.plan(batch);
    log.write(chunk);
    first = chunk.refs[0];
  }
  PayloadLog log(dir.path() / "p");
  std::vector<std::string_view> batch = {"second"};
  auto chunk = log.plan(batch);
  log.write(chunk);
  CHECK(chunk.refs[0].offset > first.offset);
  CHECK(log.read(first) == std::string("first"));
  CHECK(log.read(chunk.refs[0]) == std::string("second"));
}

TEST_CASE("a damaged record is reported, a purged one is simply gone", "[payload_log]") {
  testing::TempDir dir;
  PayloadLog log(dir.path() / "p");
  std::vector<std::string_view> batch = {"payload"};
  auto chunk = log.plan(batch);
  log.write(chunk);
  PayloadRef wrong = chunk.refs[0];
  wrong.length += 1;
  CHECK_THROWS_AS(log.read(wrong), mentorbot::store::StoreError);
  PayloadRef elsewhere = chunk.refs[0];
  elsewhere.offset += 8;
  CHECK_THROWS_AS(log.read(elsewhere), mentorbot::store::StoreError);
  PayloadRef missing = chunk.refs[0];
  missing.segment = 99;
  CHECK_FALSE(log.read(missing).has_value());
}

TEST_CASE("old segments are removed, the current one never", "[payload_log]") {
  testing::TempDir dir;
  auto p = dir.path() / "p";
  std::filesystem::create_directories(p);
  std::ofstream(p / "000000000001.payloads") << "old";
  std::ofstream(p / "000000000002.payloads") << "";
  PayloadLog log(p);
  CHECK(log.current_segment() == 2);
  CHECK(log.remove_before(5) == 1);
  CHECK_FALSE(std::filesystem::exists(p / "000000000001.payloads"));
  CHECK(std::filesystem::exists(p / "000000000002.payloads"));
}

TEST_CASE("a second process (or object) cannot write the same log", "[payload_log]") {
  testing::TempDir dir;
  PayloadLog first(dir.path() / "p");
  CHECK_THROWS_WITH(PayloadLog(dir.path() / "p"), Catch::Contains("another mentorbot process is using"));
}
