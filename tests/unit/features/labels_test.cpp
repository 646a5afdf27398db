#include <catch2/catch.hpp>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "features/labels/labels.hpp"
#include "support/files.hpp"

using namespace mentorbot;
using history::Status;
namespace labels = mentorbot::features::labels;

namespace {
github::Event event(const std::string& name, const std::string& fixture) {
  return github::parse_event("d", name, testing::fixture(fixture));
}
}  // namespace

TEST_CASE("labels: a first-timer's and a first-time contributor's pull request is labelled", "[labels]") {
  auto e = event("pull_request", "pull_request/opened.json");
  auto pr = features::pull_request_of(e);
  REQUIRE(pr);
  RepoConfig config;
  for (auto status : {Status::first_timer, Status::first_time_contributor}) {
    auto writes = labels::decide_pull_request(e, *pr, {status, ""}, config);
    REQUIRE(writes.size() == 2);
    CHECK(writes[0].kind == "label_ensure");
    CHECK(json::parse(writes[0].payload) ==
          json::parse(R"({"name":"first-time contributor","color":"7057ff","description":"Their first pull request to this repository"})"));
    CHECK(writes[1].kind == "labels");
    CHECK(writes[1].key == "label:Codertocat/Hello-World#2:first-time");
    CHECK(json::parse(writes[1].payload) == json::parse(R"({"labels":["first-time contributor"]})"));
  }
  for (auto status : {Status::newcomer, Status::regular, Status::unknown}) {
    CHECK(labels::decide_pull_request(e, *pr, {status, ""}, config).empty());
  }
}

TEST_CASE("labels: the ensure key follows the configured label, so a changed colour is applied again", "[labels]") {
  LabelSpec spec{"first-time contributor", "7057FF", "New here"};
  auto a = labels::ensure(1, "o/r", spec);
  CHECK(json_string(json::parse(a.payload), {"color"}) == "7057ff");  // as GitHub answers
  CHECK(labels::ensure(1, "o/r", spec).key == a.key);
  spec.color = "0e8a16";
  CHECK(labels::ensure(1, "o/r", spec).key != a.key);
  CHECK(labels::ensure(1, "o/other", spec).key != labels::ensure(1, "o/r", spec).key);
}

TEST_CASE("labels: installation events name the repositories whose labels are made consistent", "[labels]") {
  CHECK(labels::added_repositories(event("installation", "installation/created.json")) ==
        std::vector<std::string>{"Codertocat/Hello-World"});
  CHECK(labels::added_repositories(event("installation_repositories", "installation_repositories/added.json")) ==
        std::vector<std::string>{"Codertocat/Space"});
  CHECK(labels::added_repositories(event("installation", "installation/deleted.json")).empty());
  CHECK(labels::added_repositories(event("installation_repositories", "installation_repositories/removed.json")).empty());
}
