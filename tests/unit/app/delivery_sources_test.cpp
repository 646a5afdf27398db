// What a delivery's features ask, answered once per delivery: the pull request's files and
// commits are listed once however many features read them, and the commit list is what says
// who wrote the pull request.
#include <catch2/catch.hpp>

#include "app/delivery_sources.hpp"
#include "history/mirror.hpp"
#include "support/git_repo.hpp"
#include "support/temp_dir.hpp"

using namespace mentorbot;

namespace {

struct CountingLists final : app::PullRequestLists {
  std::vector<github::PullCommit> listed;
  int files_calls = 0, commits_calls = 0;
  std::vector<github::ChangedFile> files(std::int64_t, const std::string&, std::int64_t) override {
    ++files_calls;
    return {{"README.md", "modified", 1, 0, std::nullopt}};
  }
  std::vector<github::PullCommit> commits(std::int64_t, const std::string&, std::int64_t) override {
    ++commits_calls;
    return listed;
  }
};

github::PullRequestEvent opened(const std::string& clone_url, const std::string& login = "stranger") {
  github::PullRequestEvent e;
  e.action = "opened";
  e.installation = 1;
  e.repository = {"octo/project", "https://github.com/octo/project", clone_url, "main", "https://github.com/octo"};
  e.pull_request.number = 5;
  e.pull_request.author.login = login;
  e.pull_request.author.id = 99;
  e.pull_request.association = "FIRST_TIME_CONTRIBUTOR";
  return e;
}

}  // namespace

TEST_CASE("delivery sources: each fact is fetched once per delivery", "[sources]") {
  CountingLists lists;
  app::Services services;
  services.lists = &lists;
  app::DeliverySources sources(services, "d-1", false);
  auto e = opened("");
  CHECK(sources.read_files(e).size() == 1);
  CHECK(sources.read_files(e).size() == 1);
  sources.read_commits(e);
  sources.read_commits(e);
  CHECK(lists.files_calls == 1);
  CHECK(lists.commits_calls == 1);
  // Without a history to ask, GitHub's own field decides, once.
  CHECK(sources.classify_author(e, 3).status == history::Status::first_time_contributor);
  CHECK(&sources.classify_author(e, 3) == &sources.classify_author(e, 3));
  // Without GitHub, the defaults and no changes.
  app::DeliverySources offline(app::Services{}, "d-2", false);
  CHECK(offline.read_files(e).empty());
  CHECK(offline.read_config(1, "octo/project").tone == "warm");
}

TEST_CASE("delivery sources: the commit list says who wrote the pull request, with one listing", "[sources]") {
  testing::TempDir dir;
  testing::GitRepo git(dir.path() / "github");
  testing::Person mona{"Mona Maintainer", "mona@example.org"};
  git.commit(mona, "Start", "README.md");
  git.commit(mona, "Explain", "CONTRIBUTING.md");
  git.push("main");
  auto store = store::Store::open({DatabaseUrl::Kind::sqlite, dir / "db.sqlite"});
  history::Mirrors mirrors(dir.path() / "mirrors", [](std::int64_t) { return std::nullopt; });
  history::Contributors contributors(*store, mirrors, nullptr);
  CountingLists lists;
  app::Services services{store.get(), nullptr, &lists, &contributors, nullptr};

  // A login the history does not know, whose commits are Mona's (a second account, say): her two
  // earlier commits make the author a newcomer, not a first-time contributor.
  lists.listed = {{"abc", "Fix a typo", 1, "Mona M.", "mona@example.org"}};
  app::DeliverySources sources(services, "d-1", false);
  auto e = opened(git.url());
  CHECK(sources.classify_author(e, 3).status == history::Status::newcomer);
  sources.read_commits(e);  // the review reads the same list
  CHECK(lists.commits_calls == 1);

  lists.listed = {{"def", "Fix a typo", 1, "Stranger", "stranger@example.net"}};
  app::DeliverySources other(services, "d-2", false);
  CHECK(other.classify_author(e, 3).status == history::Status::first_time_contributor);

  // A mirror that cannot be had: retried, and on the last attempt nobody is greeted.
  auto gone = opened("file:///nonexistent/repo.git");
  gone.repository.full_name = "octo/gone";
  app::DeliverySources retried(services, "d-3", false);
  CHECK_THROWS(retried.classify_author(gone, 3));
  app::DeliverySources last(services, "d-4", true);
  CHECK(last.classify_author(gone, 3).status == history::Status::unknown);
}
