#pragma once
// The newcomer pipeline's numbers, read from the pipeline's rows (pure: the rows in, the numbers
// out). The definitions are CHAOSS's:
// - Newcomers by stage. A newcomer is a person's first pull request in a repository while they
//   were new there (the same person in two repositories is two newcomers). Counted when that
//   first pull request was opened in the window; then whether any of their pull requests there
//   got a first human response, was merged, and whether a second one was merged within 90 days of
//   the first merge ("returned"). The later stages may happen after the window ends.
// - Time to first response: from opened (or marked ready for review, for a draft) to the first
//   word from a person who is not the author and not a bot, for the pull requests opened in the
//   window. The median and p90 are over those that got one; "within 2 days" is the share answered
//   within two days of those answered or that waited longer than two days (closed unanswered, or
//   still waiting), so an unanswered pull request counts against it once its two days are up.
// - Acceptance: of the newcomers' pull requests opened in the window and decided, the share merged.
// - Waiting: newcomers' open pull requests (not drafts) waiting for a first response now, oldest
//   first, whenever they were opened.
#include <cstdint>
#include <optional>
#include <vector>

#include "store/pipeline.hpp"

namespace mentorbot::store::pipeline {

struct Window {
  std::int64_t since_ms = 0;  // inclusive
  std::int64_t until_ms = 0;  // exclusive
};

struct ResponseTimes {
  std::int64_t responded = 0;  // pull requests that got a first response
  std::optional<std::int64_t> median_s;
  std::optional<std::int64_t> p90_s;
  std::int64_t within_2_days = 0;  // answered within two days…
  std::int64_t counted = 0;        // …of these: answered, or unanswered for more than two days
  std::optional<double> within_2_days_share;
  std::vector<std::int64_t> histogram;  // answered, per bucket of histogram_bounds_s(), then longer
};

struct Numbers {
  Window window;
  std::int64_t now_ms = 0;
  struct Stages {
    std::int64_t opened = 0;
    std::int64_t responded = 0;
    std::int64_t merged = 0;
    std::int64_t returned = 0;
  } stages;
  ResponseTimes newcomers;
  ResponseTimes regulars;
  struct Acceptance {
    std::int64_t merged = 0;
    std::int64_t closed = 0;  // closed without a merge
    std::optional<double> ratio;
  } acceptance;
  std::vector<Entry> waiting;  // oldest first
};

// The upper bounds of the histogram's buckets, in seconds: 1 hour, 4 hours, 1, 2, 7 and 30 days.
const std::vector<std::int64_t>& histogram_bounds_s();

Numbers numbers_of(const std::vector<Entry>& rows, Window window, std::int64_t now_ms);

// What a welcome may promise: the time within which most (more than half) of the newcomers' pull
// requests opened in the window got a first human response, counting every one not answered as
// never answered (and leaving out those answered while still drafts); nothing when fewer than
// `min_points` pull requests count or when no more than half were answered. Seconds.
std::optional<std::int64_t> usual_first_response_s(const std::vector<Entry>& rows, Window window, int min_points);

}  // namespace mentorbot::store::pipeline
