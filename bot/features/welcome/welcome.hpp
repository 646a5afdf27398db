#pragma once
// welcome: one comment for a contributor's first pull request in a repository, never for
// regulars, never for bots, never twice for the same pull request (its key is the PR).
//
// For now the author's first-timer status is GitHub's author_association; the history-based
// classification and the tone templates replace this (issues 4 and 5).
#include <cstdint>
#include <optional>
#include <string>

#include "features/registry.hpp"

namespace mentorbot::features::welcome {

struct Plan {
  std::string key;  // welcome:owner/repo#N
  std::int64_t installation_id = 0;
  std::string repo;
  std::int64_t number = 0;
  std::string author;
  std::string body;
};

// Pure: what to post for this event, if anything.
std::optional<Plan> decide(const github::Event& event);
void handle(Context& context);

}  // namespace mentorbot::features::welcome
