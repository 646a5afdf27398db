#pragma once
// Who is new here (SPEC, "Contributor classification"): the facts gathered about a pull
// request's author, and the status they add up to. Pure, so the truth table is a test.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace mentorbot::history {

enum class Status { first_timer, first_time_contributor, newcomer, regular, unknown };
std::string_view to_string(Status status);
// Someone the mentoring is for: a first-timer, a first-time contributor or a newcomer (also as
// the store keeps a status, by its name).
bool is_new(Status status);
bool is_new(std::string_view status);
// GitHub's author_association as it compares: upper case.
std::string association_of(std::string_view text);
// OWNER, MEMBER or COLLABORATOR (in any case): the people who run the repository.
bool is_maintainer(std::string_view association);

struct Facts {
  std::string login;
  std::string association;  // GitHub's author_association, upper case
  bool bot = false;
  bool history_available = false;   // the mirror and its author index answered
  std::int64_t history_commits = 0;  // earlier commits on the default branch by this person
  std::optional<std::int64_t> first_commit_at;
  std::string matched;              // how the history matched them ("email …", "login …")
  bool api_configured = false;      // GitHub's API can be asked (not in dry-run)
  std::optional<std::int64_t> merged_prs;  // merged PRs by them in the repo; nullopt: no answer
};

struct Classification {
  Status status = Status::unknown;
  std::string reason;  // one line, for logs and `mentorbot history`
};

// `newcomer_threshold`: this many earlier contributions or fewer still make a newcomer.
Classification classify(const Facts& facts, int newcomer_threshold);

}  // namespace mentorbot::history
