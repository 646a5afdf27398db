#include "history/classify.hpp"

#include <algorithm>
#include <cctype>

namespace mentorbot::history {

std::string_view to_string(Status status) {
  switch (status) {
    case Status::first_timer: return "first_timer";
    case Status::first_time_contributor: return "first_time_contributor";
    case Status::newcomer: return "newcomer";
    case Status::regular: return "regular";
    case Status::unknown: return "unknown";
  }
  return "unknown";
}

bool is_new(Status status) {
  return status == Status::first_timer || status == Status::first_time_contributor || status == Status::newcomer;
}

bool is_new(std::string_view status) {
  return status == "first_timer" || status == "first_time_contributor" || status == "newcomer";
}

std::string association_of(std::string_view text) {
  std::string s(text);
  for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

bool is_maintainer(std::string_view association) {
  auto a = association_of(association);
  return a == "OWNER" || a == "MEMBER" || a == "COLLABORATOR";
}

Classification classify(const Facts& f, int threshold) {
  auto n = [](std::int64_t v) { return std::to_string(v); };
  if (f.bot) return {Status::regular, "a bot account"};
  // Cheapest first: people who run the repository are never its newcomers.
  if (is_maintainer(f.association)) {
    return {Status::regular, "author_association " + f.association};
  }
  // A wrong greeting is worse than none: without the history, say so.
  if (!f.history_available) return {Status::unknown, "the repository's history is not available"};
  if (f.history_commits > threshold) {
    return {Status::regular, n(f.history_commits) + " earlier commits on the default branch (" + f.matched + ")"};
  }
  if (f.api_configured && !f.merged_prs) {
    return {Status::unknown, "GitHub did not say how many of their pull requests were merged"};
  }
  auto merged = f.merged_prs.value_or(0);
  auto contributions = std::max(f.history_commits, merged);
  std::string evidence = n(f.history_commits) + " earlier commit(s) on the default branch" +
                         (f.matched.empty() ? "" : " (" + f.matched + ")") +
                         (f.merged_prs ? ", " + n(merged) + " merged pull request(s)" : "");
  if (contributions > threshold) return {Status::regular, evidence};
  if (contributions > 0) return {Status::newcomer, evidence};
  // Nothing in the history, nothing merged.
  if (f.association == "CONTRIBUTOR") {
    return {Status::newcomer, evidence + "; GitHub says they committed before (on another branch?)"};
  }
  if (f.association == "FIRST_TIMER") return {Status::first_timer, evidence + "; their first contribution on GitHub"};
  return {Status::first_time_contributor, evidence};
}

}  // namespace mentorbot::history
