#include <catch2/catch.hpp>

#include "support/fixed_ports.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "features/labels/labels.hpp"
#include "support/files.hpp"

using namespace mentorbot;
using history::Status;
namespace labels = mentorbot::features::labels;
namespace outbox = mentorbot::store::outbox;
using features::LabelSettings;
using features::LabelSpec;

namespace {

template <class E>
E event(const std::string& name, const std::string& fixture) {
  return std::get<E>(github::parse_event("d", name, testing::fixture(fixture)).payload);
}

github::PullRequestEvent pull_request(const std::string& action, bool draft = false, bool bot = false) {
  auto e = event<github::PullRequestEvent>("pull_request", "pull_request/opened.json");
  e.action = action;
  e.pull_request.draft = draft;
  e.pull_request.author.bot = bot;
  return e;
}

}  // namespace

TEST_CASE("labels: a first-timer's and a first-time contributor's pull request is labelled", "[labels]") {
  struct Row {
    std::string action;
    Status status;
    bool draft, bot;
    bool labelled;
  };
  std::vector<Row> table = {
      {"opened", Status::first_timer, false, false, true},
      {"opened", Status::first_time_contributor, false, false, true},
      {"reopened", Status::first_time_contributor, false, false, true},
      {"ready_for_review", Status::first_timer, false, false, true},
      {"opened", Status::newcomer, false, false, false},  // been here before: not a first
      {"opened", Status::regular, false, false, false},
      {"opened", Status::unknown, false, false, false},
      {"opened", Status::first_timer, true, false, false},  // drafts wait
      {"opened", Status::first_timer, false, true, false},  // bots
      {"synchronize", Status::first_timer, false, false, false},
      {"closed", Status::first_timer, false, false, false},
  };
  for (const auto& r : table) {
    INFO(r.action << " " << history::to_string(r.status) << (r.draft ? " draft" : "") << (r.bot ? " bot" : ""));
    auto writes = labels::decide(pull_request(r.action, r.draft, r.bot), LabelSettings{}, {r.status, ""});
    CHECK(writes.empty() != r.labelled);
    if (writes.empty()) continue;
    REQUIRE(writes.size() == 2);
    const auto& upsert = std::get<outbox::LabelUpsert>(writes[0].change);
    CHECK(upsert.name == "first-time contributor");
    CHECK(upsert.color == "7057ff");
    CHECK(upsert.description == "Their first pull request to this repository");
    CHECK(writes[1].key == "label:Codertocat/Hello-World#2:first-time");
    CHECK(std::get<outbox::Labels>(writes[1].change).names == std::vector<std::string>{"first-time contributor"});
  }
}

TEST_CASE("labels: the upsert key follows the configured label, so a changed colour is applied again", "[labels]") {
  LabelSpec spec{"first-time contributor", "7057FF", "New here"};
  auto a = features::label_upsert(1, "o/r", spec);
  CHECK(std::get<outbox::LabelUpsert>(a.change).color == "7057ff");  // as GitHub answers
  CHECK(features::label_upsert(1, "o/r", spec).key == a.key);
  spec.color = "0e8a16";
  CHECK(features::label_upsert(1, "o/r", spec).key != a.key);
  CHECK(features::label_upsert(1, "o/other", spec).key != features::label_upsert(1, "o/r", spec).key);
}

TEST_CASE("labels: installation events make the labels of each added repository as its config says", "[labels]") {
  LabelSettings mine;
  mine.needs_review = {"waiting", "000000", "Ours"};
  auto labels_of = [&](const std::string& repo) -> const LabelSettings& {
    static const LabelSettings defaults;
    return repo == "Codertocat/Space" ? mine : defaults;
  };
  struct Row {
    std::string name, fixture;
    std::vector<std::string> names;  // the labels made, in order
  };
  std::vector<Row> table = {
      {"installation", "installation/created.json", {"first-time contributor", "needs-review"}},
      {"installation_repositories", "installation_repositories/added.json", {"first-time contributor", "waiting"}},
      {"installation", "installation/deleted.json", {}},
      {"installation_repositories", "installation_repositories/removed.json", {}},
  };
  for (const auto& r : table) {
    INFO(r.fixture);
    auto writes = labels::decide(event<github::InstallationEvent>(r.name, r.fixture), labels_of);
    std::vector<std::string> names;
    for (const auto& w : writes) names.push_back(std::get<outbox::LabelUpsert>(w.change).name);
    CHECK(names == r.names);
    for (const auto& w : writes) CHECK(w.number == 0);  // about the repository, not a pull request
  }
}

TEST_CASE("labels: the effectful part asks the author's class and each repository's config", "[labels]") {
  testing::Handling h;
  h.sources.author = {Status::first_timer, ""};
  labels::handle_pull_request(pull_request("opened"), h.context);
  CHECK(h.handover.plan.writes.size() == 2);
  testing::Handling install;
  labels::handle_installation(event<github::InstallationEvent>("installation", "installation/created.json"),
                              install.context);
  CHECK(install.sources.configs_read == 1);  // one repository
  CHECK(install.handover.plan.writes.size() == 2);
}
