#pragma once
// coins: a merged pull request earns its author one challenge coin (once per pull request,
// whatever the redeliveries: the ledger is keyed by it). The author's first merged pull request
// in the repository gets a celebration comment with their coin badge, later ones a short
// thank-you (coins.later_merges). The maintainers who approved a newcomer's merged pull request
// get a mentor coin. Maintainers award coins for work that is not code with
// `/coin @login for <reason>`; anyone else gets a polite no.
//
// Each decision is pure; the facts it needs from the ledger are read, and its coins awarded,
// in the transaction that finishes the delivery: two pull requests by the same person merged
// at the same moment cannot both be their first.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "features/coins/settings.hpp"
#include "features/context.hpp"
#include "features/words.hpp"
#include "store/coins.hpp"
#include "store/pull_requests.hpp"

namespace mentorbot::features::coins {

// Where the coins' words point: the badge images are served at {public_url}/badges/LOGIN.svg.
struct Badges {
  std::string public_url;  // empty: no badge image
};

// What the ledger knows when a pull request is merged.
struct MergeFacts {
  std::optional<std::string> tracked_status;  // the author's class when it was opened, if it was tracked
  std::int64_t earlier_merges = 0;            // merge coins the author already holds in the repo
  std::int64_t earlier_coins = 0;             // every coin the author holds in the repo
  std::vector<store::pull_requests::Approval> approvals;
  std::optional<store::coins::Award> before;  // this merge's coin, when an earlier run awarded it
  std::vector<store::coins::Sprint> sprints;
  std::vector<OpenIssue> open_issues;  // to suggest after a first merge (IssueFinder), newest first
};

struct MergePlan {
  std::vector<store::coins::Award> awards;      // the author's coin first, then the mentors'
  std::optional<store::outbox::Write> comment;  // coin:owner/repo#N (coin_first or coin), or none
};

// Pure. Nothing for an unmerged pull request, a bot's, or when the repository turned coins off.
// The first-merge coin suggests up to three of `facts.open_issues` as a next step, never one the
// author opened.
std::optional<MergePlan> decide_merge(const github::PullRequestEvent& event, const Settings& settings,
                                      const MergeFacts& facts, const Badges& badges, const Words& words);

// What a review means for the mentor coins: an approval to keep, one to withdraw, or nothing.
struct ApprovalChange {
  enum class Kind { approved, withdrawn } kind = Kind::approved;
  std::string repo;
  std::int64_t number = 0;
  store::pull_requests::Approval approval;
};
// Pure. `reviewers`: the repository's configured reviewers (people who may approve though they
// are not its owners, members or collaborators).
std::optional<ApprovalChange> decide_review(const github::PullRequestReviewEvent& event,
                                            const std::vector<std::string>& reviewers);

struct Command {
  std::string login;   // who gets the coin
  std::string reason;  // one line, at most 200 characters
};
// `/coin @login for <reason>` at the start of a comment. nullopt when the comment is not a coin
// command at all; a Command with an empty login when it is one that cannot be read.
std::optional<Command> parse_command(const std::string& body);

// What the ledger knows about a coin command's recipient.
struct CommandFacts {
  std::int64_t held = 0;  // coins they hold, not counting this command's
  std::vector<store::coins::Sprint> sprints;
};
struct CommandPlan {
  std::optional<store::coins::Award> award;  // absent: a polite no
  store::outbox::Write reply;                // coin-reply:owner/repo#N:COMMENT
};
// Pure. nullopt when the comment is no coin command, comes from a bot, or coins are off here.
std::optional<CommandPlan> decide_command(const github::IssueCommentEvent& event, const Settings& settings,
                                          const CommandFacts& facts, const Badges& badges, const Words& words);

void handle_merge(const github::PullRequestEvent& event, Context& context, const Badges& badges);
void handle_review(const github::PullRequestReviewEvent& event, Context& context);
void handle_command(const github::IssueCommentEvent& event, Context& context, const Badges& badges);

}  // namespace mentorbot::features::coins
