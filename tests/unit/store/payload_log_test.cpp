#include <catch2/catch.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "store/crc32c.hpp"
#include "store/payload_log.hpp"
#include "store/db.hpp"
#include "support/temp_dir.hpp"

using mentorbot::store::PayloadLog;
using mentorbot::store::PayloadRef;

namespace {

PayloadLog::Chunk append(PayloadLog& log, std::vector<std::pair<std::string, std::string>> entries) {
  std::vector<PayloadLog::Entry> e;
  for (auto& [d, p] : entries) e.push_back({d, p});
  auto chunk = log.plan(e);
  log.write(chunk);
  return chunk;
}

struct Seen {
  std::vector<std::string> descriptions;
  std::vector<PayloadRef> refs;
};
Seen recover(PayloadLog& log, std::optional<PayloadRef> after) {
  Seen s;
  log.recover(after, [&](const PayloadRef& ref, std::string_view d, std::string_view) {
    s.descriptions.emplace_back(d);
    s.refs.push_back(ref);
  });
  return s;
}

}  // namespace

TEST_CASE("CRC-32C matches the published check value", "[payload_log]") {
  CHECK(mentorbot::store::crc32c(0, "123456789", 9) == 0xE3069283u);
  std::string long_text(1000, 'a');
  auto whole = mentorbot::store::crc32c(0, long_text.data(), long_text.size());
  auto split = mentorbot::store::crc32c(mentorbot::store::crc32c(0, long_text.data(), 333), long_text.data() + 333, 667);
  CHECK(whole == split);
}

TEST_CASE("payloads written in a batch read back byte for byte", "[payload_log]") {
  testing::TempDir dir;
  PayloadLog log(dir.path() / "p");
  log.recover(std::nullopt, [](auto&&...) {});
  std::string big(25 * 1024, 'x');
  big[100] = '\0';
  auto chunk = append(log, {{"a", "{\"a\":1}"}, {"b", big}, {"c", ""}});
  REQUIRE(chunk.refs.size() == 3);
  CHECK(chunk.offset % PayloadLog::block == 0);
  CHECK(chunk.size % PayloadLog::block == 0);
  CHECK(log.read(chunk.refs[0]) == std::string("{\"a\":1}"));
  CHECK(log.read(chunk.refs[1]) == big);
  CHECK(log.read(chunk.refs[2]) == std::string());
}

TEST_CASE("recovery visits what follows a record, in order, and appends after it", "[payload_log]") {
  testing::TempDir dir;
  PayloadRef first;
  {
    PayloadLog log(dir.path() / "p");
    log.recover(std::nullopt, [](auto&&...) {});
    first = append(log, {{"one", "1"}, {"two", "2"}}).refs[0];
    append(log, {{"three", "3"}});
  }
  PayloadLog log(dir.path() / "p");
  auto everything = recover(log, std::nullopt);
  CHECK(everything.descriptions == std::vector<std::string>{"one", "two", "three"});
  auto after_first = recover(log, first);
  CHECK(after_first.descriptions == std::vector<std::string>{"two", "three"});
  auto fourth = append(log, {{"four", "4"}}).refs[0];
  CHECK(fourth.offset > after_first.refs.back().offset);
  CHECK(log.read(first) == std::string("1"));
  CHECK(log.read(fourth) == std::string("4"));
}

TEST_CASE("a torn write at the end is ignored, and the next batch goes over it", "[payload_log]") {
  testing::TempDir dir;
  auto path = dir.path() / "p";
  PayloadRef good;
  {
    PayloadLog log(path);
    log.recover(std::nullopt, [](auto&&...) {});
    good = append(log, {{"kept", "payload"}}).refs[0];
  }
  // Half a record, as a power cut in the middle of a write leaves it.
  {
    int fd = ::open((path / "000000000001.payloads").c_str(), O_WRONLY);
    std::string torn = "MBP2\x10\x00\x00\x00garbage";
    REQUIRE(::pwrite(fd, torn.data(), torn.size(), 4096) == static_cast<ssize_t>(torn.size()));
    ::close(fd);
  }
  PayloadLog log(path);
  auto seen = recover(log, std::nullopt);
  CHECK(seen.descriptions == std::vector<std::string>{"kept"});
  auto next = append(log, {{"after", "x"}}).refs[0];
  CHECK(next.offset == 4096);  // over the torn bytes
  CHECK(recover(log, good).descriptions == std::vector<std::string>{"after"});
}

TEST_CASE("a damaged record is reported, a purged one is simply gone", "[payload_log]") {
  testing::TempDir dir;
  PayloadLog log(dir.path() / "p");
  log.recover(std::nullopt, [](auto&&...) {});
  auto ref = append(log, {{"d", "payload"}}).refs[0];
  PayloadRef wrong = ref;
  wrong.length += 1;
  CHECK_THROWS_AS(log.read(wrong), mentorbot::store::StoreError);
  PayloadRef elsewhere = ref;
  elsewhere.offset += 8;
  CHECK_THROWS_AS(log.read(elsewhere), mentorbot::store::StoreError);
  PayloadRef missing = ref;
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
