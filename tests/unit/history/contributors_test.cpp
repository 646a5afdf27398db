// Who is new here, on real repositories built by the test: one person with two addresses
// joined by .mailmap, a noreply address, history imported from a mailing list (commits, never a
// pull request), merge commits, an org member whose pull request is their first commit, a bot.
// The pull request's own commits are named as GitHub's commit list names them: the mirror
// follows the default branch only.
#include <catch2/catch.hpp>

#include "history/contributors.hpp"
#include "store/authors.hpp"
#include "support/git_repo.hpp"
#include "support/temp_dir.hpp"

using namespace mentorbot;
using namespace mentorbot::history;
using testing::GitRepo;
using testing::Person;

namespace {

struct FakeSearch : MergedPullRequests {
  std::map<std::string, std::optional<std::int64_t>> answers;  // login -> merged PRs
  int asked = 0;
  std::optional<std::int64_t> count(std::int64_t, const std::string&, const std::string& login) override {
    ++asked;
    auto it = answers.find(login);
    return it == answers.end() ? std::optional<std::int64_t>(0) : it->second;
  }
};

const Person mona{"Mona Maintainer", "mona@example.org"};

struct Project {
  testing::TempDir dir;
  GitRepo git{dir.path() / "github"};
  std::unique_ptr<store::Store> store = store::Store::open({DatabaseUrl::Kind::sqlite, dir / "db.sqlite"});
  Mirrors mirrors{dir.path() / "mirrors", [](std::int64_t) { return std::nullopt; }};
  FakeSearch search;
  std::unique_ptr<Contributors> contributors = std::make_unique<Contributors>(*store, mirrors, &search);
  std::string base;

  Project() {
    git.commit(mona, "Start", "README.md");
    git.commit(mona, "Map people to their current addresses", ".mailmap",
               "Dana Double <dana@new.example> <dana@old.example>");
    for (int i = 0; i < 8; ++i) git.commit(mona, "Maintain " + std::to_string(i), "src/core.txt");
    // One person, two addresses: 2 + 2 commits, 4 together (over the newcomer threshold of 3).
    git.commit({"Dana Double", "dana@old.example"}, "Fix a typo", "docs/a.txt");
    git.commit({"Dana Double", "dana@old.example"}, "Fix another typo", "docs/a.txt");
    git.commit({"Dana Double", "dana@new.example"}, "Add an example", "docs/b.txt");
    git.commit({"Dana Double", "dana@new.example"}, "Add a second example", "docs/b.txt");
    // GitHub's noreply address: 2 commits.
    git.commit({"Nora", "7001+nora@users.noreply.github.com"}, "Edit on GitHub", "docs/c.txt");
    git.commit({"Nora", "7001+nora@users.noreply.github.com"}, "Edit again", "docs/c.txt");
    // History imported from a mailing list: patches applied by the maintainer, never PRs.
    for (int i = 0; i < 5; ++i) git.commit({"Lars List", "lars@lists.example.org"}, "[PATCH] part " + std::to_string(i), "src/list.txt");
    // A merge commit bringing in one commit from a side branch.
    auto main_tip = git.sha("HEAD");
    git.checkout("side", main_tip);
    git.commit({"Mika Merge", "mika@example.org"}, "Side work", "src/side.txt");
    git.checkout("main", main_tip);
    git.merge(mona, "side");
    base = git.commit(mona, "Tidy up", "src/core.txt");
    git.push("main");
  }

  // A pull request by `who`, as its payload and its commit list describe it.
  AuthorQuery pull_request(const Person& who, const std::string& login, std::int64_t id,
                           const std::string& association, bool bot = false) {
    AuthorQuery q;
    q.source = {"octo/project", git.url(), "main", 1};
    q.login = login;
    q.user_id = id;
    q.association = association;
    q.bot = bot;
    q.identities = {{who.name, who.email}};
    return q;
  }

  Classification who(const AuthorQuery& q) { return classify(contributors->pull_request_author(q, 3), 3); }
};

std::string status_of(Project& p, const AuthorQuery& q) { return std::string(to_string(p.who(q).status)); }

}  // namespace

TEST_CASE("truth table: who is new here, from the repository's own history", "[history]") {
  Project p;
  p.search.answers["sam"] = 2;                 // his two PRs were squash-merged under another address
  p.search.answers["una"] = std::nullopt;      // GitHub's search did not answer
  struct Row {
    std::string what;
    AuthorQuery query;
    std::string expected;
  };
  std::vector<Row> table;
  table.push_back({"the maintainer", p.pull_request(mona, "mona", 1, "OWNER"), "regular"});
  table.push_back({"an org member whose PR is their first commit",
                   p.pull_request({"Omar Org", "omar@octo.example"}, "omar", 2, "MEMBER"), "regular"});
  table.push_back({"a bot", p.pull_request({"dependabot[bot]", "49699333+dependabot[bot]@users.noreply.github.com"},
                                           "dependabot[bot]", 49699333, "NONE", true),
                   "regular"});
  table.push_back({"a first timer on GitHub", p.pull_request({"Nina Newbie", "nina@example.net"}, "nina", 3, "FIRST_TIMER"),
                   "first_timer"});
  table.push_back({"first time in this repository",
                   p.pull_request({"Fred First", "fred@example.net"}, "fred", 4, "FIRST_TIME_CONTRIBUTOR"),
                   "first_time_contributor"});
  table.push_back({"two addresses joined by .mailmap (2 + 2 commits)",
                   p.pull_request({"Dana Double", "dana@new.example"}, "dana", 5, "CONTRIBUTOR"), "regular"});
  table.push_back({"a noreply address (found by login, not by the PR's address)",
                   p.pull_request({"Nora", "nora@personal.example"}, "nora", 7001, "CONTRIBUTOR"), "newcomer"});
  table.push_back({"history from a mailing list: GitHub says first time, history says 5 commits",
                   p.pull_request({"Lars List", "lars@lists.example.org"}, "lars", 6, "FIRST_TIME_CONTRIBUTOR"),
                   "regular"});
  table.push_back({"one commit, reachable through a merge",
                   p.pull_request({"Mika Merge", "mika@example.org"}, "mika", 7, "CONTRIBUTOR"), "newcomer"});
  table.push_back({"no commits, but merged PRs squashed under another address",
                   p.pull_request({"Sam Squash", "sam@laptop.local"}, "sam", 8, "CONTRIBUTOR"), "newcomer"});
  table.push_back({"GitHub's search did not answer",
                   p.pull_request({"Una Unknown", "una@example.net"}, "una", 9, "FIRST_TIME_CONTRIBUTOR"), "unknown"});
  for (auto& row : table) {
    INFO(row.what);
    CHECK(status_of(p, row.query) == row.expected);
  }
  // Cheapest first: maintainers and bots never reach the search; regulars by history neither.
  CHECK(p.search.asked == 6);  // nina, fred, nora, mika, sam, una
}

TEST_CASE("a pull request's commits are never fetched: the mirror follows the default branch", "[history]") {
  Project p;
  CHECK(status_of(p, p.pull_request(mona, "mona-again", 1, "CONTRIBUTOR")) == "regular");  // the mirror is made
  // Then Paula opens a pull request: her commit exists only on her branch (and as GitHub lists it).
  Person paula{"Paula Push", "paula@example.net"};
  p.git.checkout("pr20", p.base);
  auto head = p.git.commit(paula, "Her change", "contrib/paula.txt");
  p.git.pull_ref(20, head);
  CHECK(status_of(p, p.pull_request(paula, "paula", 11, "FIRST_TIME_CONTRIBUTOR")) == "first_time_contributor");
  auto mirror = p.mirrors.open("octo/project");
  git_oid oid = oid_from(head);
  git_commit* commit = nullptr;
  CHECK(git_commit_lookup(&commit, mirror.get(), &oid) != 0);  // not fetched
  // Who wrote the commits is what decides: the same pull request with Dana's address is Dana's.
  CHECK(status_of(p, p.pull_request({"Dana Double", "dana@old.example"}, "paula", 11, "CONTRIBUTOR")) == "regular");
}

TEST_CASE("the index is kept in the store, and a push adds only its commits", "[history]") {
  Project p;
  Person nina{"Nina Newbie", "nina@example.net"};
  CHECK(status_of(p, p.pull_request(nina, "nina", 3, "FIRST_TIMER")) == "first_timer");
  auto saved = p.store->read([](store::Db& db) { return store::authors::load(db, "octo/project"); });
  REQUIRE(saved);
  CHECK(saved->tip == p.base);
  auto commits_before = saved->commits;

  // Two of her commits land on main; GitHub sends the push.
  p.git.checkout("main", p.base);
  p.git.commit(nina, "First merged change", "src/nina.txt");
  auto tip = p.git.commit(nina, "Second merged change", "src/nina.txt");
  p.git.push("main");
  p.contributors->default_branch_moved({"octo/project", p.git.url(), "main", 1});
  saved = p.store->read([](store::Db& db) { return store::authors::load(db, "octo/project"); });
  CHECK(saved->tip == tip);
  CHECK(saved->commits == commits_before + 2);

  // A restart: a fresh service reads the saved index and finds her two commits.
  p.contributors = std::make_unique<Contributors>(*p.store, p.mirrors, &p.search);
  CHECK(status_of(p, p.pull_request(nina, "nina", 3, "FIRST_TIME_CONTRIBUTOR")) == "newcomer");
}

TEST_CASE("a mirror that cannot be made is an error the caller can retry", "[history]") {
  Project p;
  auto q = p.pull_request({"Fred First", "fred@example.net"}, "fred", 4, "FIRST_TIME_CONTRIBUTOR");
  q.source.clone_url = "file:///nonexistent/repo.git";
  CHECK_THROWS_AS(p.contributors->pull_request_author(q, 3), GitError);
}

TEST_CASE("a push that changes .mailmap joins identities the index already counted", "[history]") {
  Project p;
  Person dana_laptop{"Dana D.", "dana@laptop.local"};
  // Before: the laptop address is nobody the history knows.
  CHECK(status_of(p, p.pull_request(dana_laptop, "dana-d", 21, "FIRST_TIME_CONTRIBUTOR")) == "first_time_contributor");
  // A maintainer adds the laptop address to .mailmap; the push arrives.
  p.git.checkout("main", p.base);
  p.git.commit(mona, "Map Dana's laptop address", ".mailmap", "Dana Double <dana@new.example> <dana@laptop.local>");
  p.git.push("main");
  p.contributors->default_branch_moved({"octo/project", p.git.url(), "main", 1});
  // After: the same address is Dana, with her four earlier commits.
  CHECK(status_of(p, p.pull_request(dana_laptop, "dana-d", 21, "FIRST_TIME_CONTRIBUTOR")) == "regular");
}
