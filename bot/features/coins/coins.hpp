#pragma once
// coins: a merged pull request earns its author one challenge coin (once per pull request,
// whatever the redeliveries: the ledger is keyed by it). The author's first merged pull request
// in the repository gets a celebration comment with their coin badge, later ones a short
// thank-you (coins.later_merges). The maintainers who approved a newcomer's merged pull request
// get a mentor coin. Maintainers award coins for work that is not code with
// `/coin @login for <reason>`; anyone else gets a polite no.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "features/pull_request.hpp"
#include "store/coins.hpp"
#include "store/pull_requests.hpp"

namespace mentorbot::features::coins {

// What the store knows when a pull request is merged.
struct MergeFacts {
  std::optional<std::string> tracked_status;  // the author's class when it was opened, if it was tracked
  std::int64_t earlier_merges = 0;            // merge coins the author already holds in the repo
  std::int64_t earlier_coins = 0;             // every coin the author holds in the repo
  std::vector<store::pull_requests::Approval> approvals;
};

struct MergePlan {
  std::vector<store::coins::Award> awards;  // the author's coin first, then the mentors'
  std::string template_name;                // coin_first | coin | empty: no comment
  std::string comment_key;                  // coin:owner/repo#N
  std::vector<std::string> mentors;         // approvers who get a mentor coin
};

// Pure. Nothing for an unmerged pull request, a bot's, or when the repository turned coins off.
std::optional<MergePlan> decide_merge(const github::Event& event, const PullRequest& pr, const MergeFacts& facts,
                                      const RepoConfig& config);

struct Command {
  std::string login;   // who gets the coin
  std::string reason;  // one line, at most 200 characters
};
// `/coin @login for <reason>` at the start of a comment. nullopt when the comment is not a coin
// command at all; a Command with an empty login when it is one that cannot be read.
std::optional<Command> parse_command(const std::string& body);

struct CommandPlan {
  std::optional<store::coins::Award> award;  // absent: a polite no
  std::string template_name;                 // coin_award | coin_refused
  std::string reply_key;                     // coin-reply:owner/repo#N:COMMENT
  bool not_maintainer = false;
  bool unreadable = false;
};
// Pure. nullopt when the comment is no coin command, or comes from a bot.
std::optional<CommandPlan> decide_command(const github::Event& event);

void handle_merge(Context& context);
void handle_review(Context& context);
void handle_command(Context& context);

}  // namespace mentorbot::features::coins
