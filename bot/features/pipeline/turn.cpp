#include "features/pipeline/turn.hpp"

#include "history/classify.hpp"

namespace mentorbot::features::pipeline {
namespace {

bool is_open(Turn turn) { return turn != Turn::merged && turn != Turn::closed; }

void move(State& s, Turn turn, std::int64_t at) {
  if (s.turn == turn) return;
  s.turn = turn;
  s.turn_since = at;
}

}  // namespace

std::string_view to_string(Turn turn) {
  switch (turn) {
    case Turn::first_response: return "first_response";
    case Turn::author: return "author";
    case Turn::review: return "review";
    case Turn::approved: return "approved";
    case Turn::merged: return "merged";
    case Turn::closed: return "closed";
  }
  return "first_response";
}

std::optional<Turn> turn_named(std::string_view name) {
  for (auto t : {Turn::first_response, Turn::author, Turn::review, Turn::approved, Turn::merged, Turn::closed}) {
    if (to_string(t) == name) return t;
  }
  return std::nullopt;
}

Actor actor_of(bool is_bot, std::string_view login, std::string_view association, std::string_view author_login) {
  if (is_bot || login.ends_with("[bot]")) return Actor::bot;
  if (!login.empty() && history::association_of(login) == history::association_of(author_login)) return Actor::author;
  return history::is_maintainer(association) ? Actor::maintainer : Actor::other_human;
}

State opened(std::int64_t at_ms) {
  State s;
  s.opened_at = at_ms;
  s.turn_since = at_ms;
  return s;
}

State apply(State s, const Step& step) {
  const auto at = step.at_ms;
  // A merge or a close is the pull request's, whoever did it (a merge queue is a bot); a bot's
  // words are never a response and never a turn.
  if (step.who == Actor::bot && step.what != Happening::merged && step.what != Happening::closed) return s;
  switch (step.what) {
    case Happening::opened:
    case Happening::reopened:
      // Only a closed one opens again: whose turn it is then depends on whether anyone answered.
      if (s.turn != Turn::closed) return s;
      s.closed_at.reset();
      move(s, s.first_response_at ? Turn::review : Turn::first_response, at);
      return s;
    case Happening::merged:
      if (s.turn == Turn::merged) return s;
      move(s, Turn::merged, at);
      s.merged_at = at;
      s.closed_at = at;
      return s;
    case Happening::closed:
      if (!is_open(s.turn)) return s;
      move(s, Turn::closed, at);
      s.closed_at = at;
      return s;
    default: break;
  }
  if (!is_open(s.turn)) return s;  // words on a closed pull request move nothing
  if (step.who == Actor::author) {
    // The author answered or pushed: the reviewers' turn again, once someone has responded.
    if (s.turn == Turn::author || (s.turn == Turn::approved && step.what == Happening::pushed)) {
      move(s, Turn::review, at);
    }
    return s;
  }
  if (!s.first_response_at) s.first_response_at = at;
  switch (step.what) {
    case Happening::approved:
      move(s, step.who == Actor::maintainer ? Turn::approved : (s.turn == Turn::first_response ? Turn::review : s.turn),
           at);
      break;
    case Happening::changes_requested: move(s, Turn::author, at); break;
    case Happening::commented:
      // A maintainer's word asks something of the author; anyone else's is a response, and the
      // pull request still waits for its reviewers.
      if (step.who == Actor::maintainer) {
        move(s, Turn::author, at);
      } else if (s.turn == Turn::first_response) {
        move(s, Turn::review, at);
      }
      break;
    case Happening::pushed:
      // Someone else pushed to the author's branch (a maintainer finishing it): it waits for review.
      if (s.turn != Turn::approved) move(s, Turn::review, at);
      break;
    default: break;
  }
  return s;
}

}  // namespace mentorbot::features::pipeline
