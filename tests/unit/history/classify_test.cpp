#include <catch2/catch.hpp>

#include "history/classify.hpp"

using namespace mentorbot::history;

TEST_CASE("classification truth table from the facts", "[classify]") {
  struct Row {
    const char* what;
    Facts facts;
    Status expected;
  };
  auto facts = [](std::string association, bool history, std::int64_t commits, std::optional<std::int64_t> merged,
                  bool api = true, bool bot = false) {
    Facts f;
    f.association = std::move(association);
    f.history_available = history;
    f.history_commits = commits;
    f.merged_prs = merged;
    f.api_configured = api;
    f.bot = bot;
    return f;
  };
  std::vector<Row> table = {
      {"a bot", facts("FIRST_TIMER", true, 0, 0, true, true), Status::regular},
      {"the owner", facts("OWNER", false, 0, std::nullopt), Status::regular},
      {"an org member, even on their first commit", facts("MEMBER", true, 0, 0), Status::regular},
      {"a collaborator", facts("COLLABORATOR", true, 0, 0), Status::regular},
      {"no history to ask", facts("FIRST_TIME_CONTRIBUTOR", false, 0, 0), Status::unknown},
      {"GitHub's first timer", facts("FIRST_TIMER", true, 0, 0), Status::first_timer},
      {"first time in this repository", facts("FIRST_TIME_CONTRIBUTOR", true, 0, 0), Status::first_time_contributor},
      {"GitHub says NONE, history agrees", facts("NONE", true, 0, 0), Status::first_time_contributor},
      {"history wins: 'first time' but 2 commits", facts("FIRST_TIME_CONTRIBUTOR", true, 2, 0), Status::newcomer},
      {"history wins: 'first time' but many commits (a mailing list)", facts("FIRST_TIME_CONTRIBUTOR", true, 40, 0),
       Status::regular},
      {"threshold commits is still a newcomer", facts("CONTRIBUTOR", true, 3, 0), Status::newcomer},
      {"one over the threshold is a regular", facts("CONTRIBUTOR", true, 4, 0), Status::regular},
      {"merged PRs count when larger (squashed under another address)", facts("CONTRIBUTOR", true, 0, 2),
       Status::newcomer},
      {"merged PRs over the threshold", facts("CONTRIBUTOR", true, 1, 7), Status::regular},
      {"CONTRIBUTOR with nothing found stays a newcomer", facts("CONTRIBUTOR", true, 0, 0), Status::newcomer},
      {"search did not answer", facts("FIRST_TIME_CONTRIBUTOR", true, 0, std::nullopt), Status::unknown},
      {"search did not answer, history already says regular", facts("CONTRIBUTOR", true, 9, std::nullopt),
       Status::regular},
      {"dry-run: no API, the history decides", facts("FIRST_TIME_CONTRIBUTOR", true, 0, std::nullopt, false),
       Status::first_time_contributor},
  };
  for (const auto& row : table) {
    INFO(row.what);
    auto c = classify(row.facts, 3);
    CHECK(to_string(c.status) == to_string(row.expected));
    CHECK_FALSE(c.reason.empty());
  }
}
