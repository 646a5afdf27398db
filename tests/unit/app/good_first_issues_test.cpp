// The next-step search: what it asks GitHub, and what it takes from the answer.
#include <catch2/catch.hpp>

#include <boost/json/parse.hpp>

#include "app/good_first_issues.hpp"

using namespace mentorbot;

TEST_CASE("good first issues: the query and the answer", "[coins][pipeline]") {
  CHECK(app::GoodFirstIssuesOverSearch::query("octo/site", {"good first issue", "help wanted"}) ==
        R"(repo:octo/site is:issue is:open no:assignee label:"good first issue","help wanted")");
  auto found = app::GoodFirstIssuesOverSearch::parse(boost::json::parse(R"({"total_count":4,"items":[
    {"number":1,"title":"Add a dark mode","html_url":"https://github.com/octo/site/issues/1","user":{"login":"mona"},"assignees":[]},
    {"number":2,"title":"Taken","html_url":"https://github.com/octo/site/issues/2","user":{"login":"mona"},"assignees":[{"login":"bo"}]},
    {"number":3,"title":"A pull request","html_url":"https://github.com/octo/site/pull/3","user":{"login":"mona"},"pull_request":{}},
    {"number":4,"html_url":"https://github.com/octo/site/issues/4"}]})"));
  REQUIRE(found.size() == 1);
  CHECK(found[0].number == 1);
  CHECK(found[0].title == "Add a dark mode");
  CHECK(found[0].author == "mona");
  CHECK(found[0].url == "https://github.com/octo/site/issues/1");
  CHECK(app::GoodFirstIssuesOverSearch::parse(boost::json::parse("[]")).empty());
}
